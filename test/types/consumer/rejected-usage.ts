// Each call below must be a compile error: the packed types describe the options exactly.
import { SessionMultiModule } from 'nestjs-session-multi';

// @ts-expect-error sessions is a list of registrations
SessionMultiModule.forRoot({ sessions: 42 });

// @ts-expect-error unknown option
SessionMultiModule.forRoot({ sessions: [], typo: true });

SessionMultiModule.forRootAsync({
  // @ts-expect-error the factory must return the options
  useFactory: () => ({ sessions: 'ui' }),
});
