import { Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { SessionMultiDebugModule, SessionMultiModule } from '../../src/index';
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
    // The session debug panel at /_session_multi, for loopback callers, in development only
    // (NODE_ENV unset or 'development'); the module refuses to start enabled in production.
    SessionMultiDebugModule.forRoot({
      enabled: (process.env.NODE_ENV ?? 'development') === 'development',
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
