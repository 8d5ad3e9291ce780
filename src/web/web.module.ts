import { Global, Module } from '@nestjs/common';
import { AssetsController } from './assets.controller';
import { SessionPages } from './session.pages';
import { Views } from './views';
import { WebExceptionFilter } from './web-exception.filter';

/** The server-rendered pages' shared parts; each feature's pages live in its own folder. */
@Global()
@Module({
  providers: [Views, WebExceptionFilter],
  controllers: [SessionPages, AssetsController],
  exports: [Views, WebExceptionFilter],
})
export class WebModule {}
