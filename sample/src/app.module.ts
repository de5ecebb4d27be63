import { Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { SessionMultiModule } from '../../src/index';
import { AuthController } from './auth.controller';
import { CartController } from './cart.controller';
import { HomeController } from './home.controller';
import { HttpsOnlyController } from './https-only.controller';
import { sessionOptionsFromConfig } from './sample-sessions';
import { ThemeController } from './theme.controller';

@Module({
  imports: [
    // Environment variables, or a .env file in the working directory.
    ConfigModule.forRoot(),
    SessionMultiModule.forRootAsync({
      imports: [ConfigModule],
      inject: [ConfigService],
      useFactory: sessionOptionsFromConfig,
    }),
  ],
  controllers: [
    HomeController,
    ThemeController,
    CartController,
    HttpsOnlyController,
    AuthController,
  ],
})
export class AppModule {}
