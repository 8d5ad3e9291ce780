import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuthController } from './auth.controller';
import { AuthGuard } from './auth.guard';
import { TokensService } from './tokens.service';
import { UsersService } from './users.service';
import { UsersPages } from './users.pages';
import { SessionsService } from './sessions.service';
import { SignInService } from './sign-in.service';
import { SignInThrottle } from './sign-in-throttle';

@Global()
@Module({
  providers: [
    UsersService,
    TokensService,
    SessionsService,
    SignInThrottle,
    SignInService,
    { provide: APP_GUARD, useClass: AuthGuard },
  ],
  controllers: [AuthController, UsersPages],
  exports: [UsersService, TokensService, SessionsService, SignInService],
})
export class AuthModule {}
