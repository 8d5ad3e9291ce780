import { Controller, Get, Query } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { ApiError } from '../shared/http/api-error';
import { Page } from '../web/page.decorator';
import { Views } from '../web/views';
import { Web, WebContext } from '../web/web-context';
import { authorizePermission } from './policy';
import { ROLE_LABELS, ROLE_REGION_LEVEL, STAFF_ROLES } from './roles';
import { UsersService } from './users.service';

/**
 * User administration (admin) and one's own password. The forms post to the API (app.js), so the
 * same validation, policy check and session revocation apply as for any API client.
 */
@ApiExcludeController()
@Controller()
export class UsersPages {
  constructor(
    private readonly views: Views,
    private readonly users: UsersService,
  ) {}

  @Get('konsol/pengguna')
  @Page()
  async list(@Web() web: WebContext, @Query('page') pageParam?: string): Promise<string> {
    const denied = authorizePermission(web.principal!, 'users:manage', '');
    if (denied) throw ApiError.fromRejection(denied);
    const page = Math.max(1, Math.min(10_000, Number.parseInt(pageParam ?? '1', 10) || 1));
    const { items, total } = await this.users.list(page, 100);
    const roles = STAFF_ROLES.map((r) => ({ code: r, label: ROLE_LABELS[r], level: ROLE_REGION_LEVEL[r] }));
    return this.views.render('console/pengguna', web, { users: items, total, page, roles, self: web.principal!.userId });
  }

  @Get('akun/kata-sandi')
  @Page()
  password(@Web() web: WebContext): string {
    return this.views.render('console/kata-sandi', web, {});
  }
}
