import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuthController } from './auth.controller';
import { AuthGuard } from './auth.guard';
import { TokensService } from './tokens.service';
import { UsersService } from './users.service';

@Global()
@Module({
  providers: [UsersService, TokensService, { provide: APP_GUARD, useClass: AuthGuard }],
  controllers: [AuthController],
  exports: [UsersService, TokensService],
})
export class AuthModule {}
