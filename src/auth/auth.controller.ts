import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { isRejection } from '../shared/decider';
import { ApiError } from '../shared/http/api-error';
import { PageQuery } from '../shared/http/page.dto';
import { Public } from './auth.guard';
import { CreateUserDto, LoginDto } from './dto';
import { authorizePermission } from './policy';
import { CurrentPrincipal } from './principal.decorator';
import { Principal, ROLE_LABELS } from './roles';
import { TokensService } from './tokens.service';
import { UserView, UsersService } from './users.service';

@ApiTags('auth')
@Controller('api/v1')
export class AuthController {
  constructor(
    private readonly users: UsersService,
    private readonly tokens: TokensService,
  ) {}

  @Public()
  @Post('auth/login')
  @HttpCode(200)
  @ApiOperation({ summary: 'Masuk: token akses berumur pendek / sign in for a short-lived token' })
  async login(@Body() body: LoginDto): Promise<{ accessToken: string; tokenType: 'Bearer'; expiresIn: number; user: Principal }> {
    const principal = await this.users.verify(body.username, body.password);
    if (!principal)
      throw new ApiError(401, 'LOGIN_FAILED', { id: 'Nama pengguna atau kata sandi salah', en: 'Wrong username or password' });
    return { accessToken: this.tokens.sign(principal), tokenType: 'Bearer', expiresIn: this.tokens.ttlSeconds, user: principal };
  }

  @ApiBearerAuth()
  @Get('auth/me')
  me(@CurrentPrincipal() principal: Principal): object {
    return { ...principal, roleLabel: ROLE_LABELS[principal.role] };
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
  async create(@CurrentPrincipal() principal: Principal, @Body() body: CreateUserDto): Promise<UserView> {
    this.requireAdmin(principal);
    const created = await this.users.create(body);
    if (isRejection(created)) throw ApiError.fromRejection(created);
    return created;
  }

  private requireAdmin(principal: Principal): void {
    const denied = authorizePermission(principal, 'users:manage', '');
    if (denied) throw ApiError.fromRejection(denied);
  }
}
