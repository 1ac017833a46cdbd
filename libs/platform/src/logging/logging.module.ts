import { Global, Module } from '@nestjs/common';
import { AppLogger } from './app-logger.js';

/** JSON logs through pino (AppLogger); bootstrap makes it Nest's logger. */
@Global()
@Module({ providers: [AppLogger], exports: [AppLogger] })
export class LoggingModule {}
