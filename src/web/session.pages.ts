import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { serialize } from 'cookie';
import type { Request, Response } from 'express';
import { Public } from '../auth/auth.guard';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { clearSession, sessionToken, setSession } from '../auth/session-cookie';
import { TokensService } from '../auth/tokens.service';
import { UsersService } from '../auth/users.service';
import { Page } from './page.decorator';
import { Views } from './views';
import { LANG_COOKIE, USERNAME_COOKIE, webContextOf } from './web-context';

/** The sign-in form; empty fields are answered on the page, like a wrong password. */
class SignInForm {
  @IsOptional()
  @IsString()
  @MaxLength(100)
  username?: string;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  password?: string;

  @IsOptional()
  @IsString()
  @MaxLength(500)
  lanjut?: string;
}

/** Only paths of this site are followed after sign-in or a language switch (no open redirect). */
function localPath(next: unknown, fallback = '/'): string {
  return typeof next === 'string' && /^\/(?!\/)[^\s\\]*$/.test(next) ? next : fallback;
}

/** The landing page, signing in and out, and the language switch. */
@ApiExcludeController()
@Public()
@Controller()
export class SessionPages {
  constructor(
    private readonly views: Views,
    private readonly users: UsersService,
    private readonly tokens: TokensService,
  ) {}

  @Get()
  @Page()
  home(@Req() req: Request): string {
    return this.views.render('home', this.context(req));
  }

  @Get('masuk')
  @Page()
  signInPage(@Req() req: Request, @Query('lanjut') next?: string, @Query('sesi') session?: string): string {
    return this.views.render('masuk', webContextOf(req), { next: localPath(next, ''), expired: session === 'habis' });
  }

  @Post('masuk')
  @Page()
  async signIn(@Req() req: Request, @Res() res: Response, @Body() body: SignInForm): Promise<void> {
    const principal = await this.users.verify(String(body.username ?? ''), String(body.password ?? ''));
    if (!principal) {
      res
        .status(401)
        .type('html')
        .send(
          this.views.render('masuk', webContextOf(req), {
            next: localPath(body.lanjut, ''),
            failed: true,
            username: body.username,
          }),
        );
      return;
    }
    setSession(res, req, this.tokens.sign(principal), this.tokens.ttlSeconds);
    res.append(
      'Set-Cookie',
      serialize(USERNAME_COOKIE, String(body.username), { path: '/', sameSite: 'strict', httpOnly: true, secure: req.secure }),
    );
    res.redirect(303, localPath(body.lanjut, principal.role === 'auditor' ? '/audit' : '/konsol/antrean'));
  }

  @Post('keluar')
  @Page()
  signOut(@Req() req: Request, @Res() res: Response): void {
    clearSession(res, req);
    res.redirect(303, '/masuk');
  }

  @Get('bahasa/:lang')
  @Page()
  language(@Param('lang') lang: string, @Query('lanjut') next: string | undefined, @Res() res: Response): void {
    const value = lang === 'en' ? 'en' : 'id';
    res.append('Set-Cookie', serialize(LANG_COOKIE, value, { path: '/', sameSite: 'lax', maxAge: 365 * 86400 }));
    res.redirect(303, localPath(next));
  }

  /** On public pages the guard does not run: the header still shows who is signed in. */
  private context(req: Request) {
    const token = sessionToken(req);
    return webContextOf(req, token ? this.tokens.verify(token) : undefined);
  }
}
