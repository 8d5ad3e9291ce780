import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { isRejection, Rejection } from '../shared/decider';
import { ApiError } from '../shared/http/api-error';
import { PageQuery } from '../shared/http/page.dto';
import { AuthenticatedRequest, Public } from './auth.guard';
import { ChangePasswordDto, CreateUserDto, LoginDto, ResetPasswordDto, UpdateUserDto } from './dto';
import { authorizePermission } from './policy';
import { CurrentPrincipal } from './principal.decorator';
import { Principal, ROLE_LABELS } from './roles';
import { SessionsService } from './sessions.service';
import { clientAddress, SignInService, throttledError } from './sign-in.service';
import { TokensService } from './tokens.service';
import { UserView, UsersService } from './users.service';

const LOGIN_FAILED = { id: 'Nama pengguna atau kata sandi salah', en: 'Wrong username or password' };

@ApiTags('auth')
@Controller('api/v1')
export class AuthController {
  constructor(
    private readonly users: UsersService,
    private readonly tokens: TokensService,
    private readonly signIns: SignInService,
    private readonly sessions: SessionsService,
  ) {}

  @Public()
  @Post('auth/login')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Masuk: token akses berumur pendek; percobaan gagal diperlambat / sign in for a short-lived token; failures are throttled',
  })
  async login(
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
    @Body() body: LoginDto,
  ): Promise<{ accessToken: string; tokenType: 'Bearer'; expiresIn: number; user: Principal }> {
    const result = await this.signIns.signIn(body.username, body.password, clientAddress(req), this.tokens.ttlSeconds);
    if (result.kind === 'throttled') throw throttledError(res, result.retryAfterSeconds);
    if (result.kind === 'failed') throw new ApiError(401, 'LOGIN_FAILED', LOGIN_FAILED);
    return { accessToken: result.token, tokenType: 'Bearer', expiresIn: this.tokens.ttlSeconds, user: result.principal };
  }

  @ApiBearerAuth()
  @Post('auth/logout')
  @HttpCode(204)
  @ApiOperation({ summary: 'Keluar: token ini tidak berlaku lagi / sign out: this token stops working at once' })
  async logout(@Req() req: AuthenticatedRequest): Promise<void> {
    await this.sessions.revoke(req.sessionId!);
  }

  @ApiBearerAuth()
  @Get('auth/me')
  me(@CurrentPrincipal() principal: Principal): object {
    return { ...principal, roleLabel: ROLE_LABELS[principal.role] };
  }

  @ApiBearerAuth()
  @Post('auth/password')
  @HttpCode(204)
  @ApiOperation({ summary: 'Ganti kata sandi sendiri; sesi lain berakhir / change your own password; other sessions end' })
  async changePassword(@Req() req: AuthenticatedRequest, @Body() body: ChangePasswordDto): Promise<void> {
    const problem = await this.users.changeOwnPassword(
      req.principal!.userId,
      body.currentPassword,
      body.newPassword,
      req.sessionId,
    );
    if (problem) throw ApiError.fromRejection(problem);
  }

  @ApiBearerAuth()
  @Get('users')
  async list(@CurrentPrincipal() principal: Principal, @Query() q: PageQuery): Promise<object> {
    this.requireAdmin(principal);
    const page = q.page ?? 1;
    const pageSize = q.pageSize ?? 50;
    return { page, pageSize, ...(await this.users.list(page, pageSize)) };
  }

  @ApiBearerAuth()
  @Post('users')
  @ApiOperation({ summary: 'Buat pengguna (admin) / create a user (admin)' })
  async create(@CurrentPrincipal() principal: Principal, @Body() body: CreateUserDto): Promise<UserView> {
    this.requireAdmin(principal);
    return orThrow(await this.users.create({ ...body, regionCode: body.regionCode ?? '' }));
  }

  @ApiBearerAuth()
  @Patch('users/:id')
  @ApiOperation({
    summary:
      'Ubah peran, wilayah, nama, atau nonaktifkan pengguna (admin); sesinya berakhir / change role, region, name or deactivate (admin); their sessions end',
  })
  async update(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Body() body: UpdateUserDto,
  ): Promise<UserView> {
    this.requireAdmin(principal);
    if (id === principal.userId && (body.active === false || (body.role !== undefined && body.role !== 'admin')))
      throw new ApiError(422, 'SELF_LOCKOUT', {
        id: 'Administrator tidak dapat menonaktifkan atau menurunkan akunnya sendiri',
        en: 'An administrator cannot deactivate or demote their own account',
      });
    return orThrow(await this.users.update(id, body));
  }

  @ApiBearerAuth()
  @Post('users/:id/password-reset')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Atur ulang kata sandi pengguna (admin); sesinya berakhir / reset a password (admin); their sessions end',
  })
  async resetPassword(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Body() body: ResetPasswordDto,
  ): Promise<void> {
    this.requireAdmin(principal);
    const problem = await this.users.setPassword(id, body.newPassword);
    if (problem) throw ApiError.fromRejection(problem);
  }

  private requireAdmin(principal: Principal): void {
    const denied = authorizePermission(principal, 'users:manage', '');
    if (denied) throw ApiError.fromRejection(denied);
  }
}

function orThrow<T extends object>(result: T | Rejection): T {
  if (isRejection(result)) throw ApiError.fromRejection(result);
  return result;
}
