import { Body, Controller, Get, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { serialize } from 'cookie';
import type { Request, Response } from 'express';
import { Public } from '../auth/auth.guard';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { clearSession, sessionToken, setSession } from '../auth/session-cookie';
import { TokensService } from '../auth/tokens.service';
import { SessionsService } from '../auth/sessions.service';
import { clientAddress, SignInService } from '../auth/sign-in.service';
import { Settings, SETTINGS } from '../config/settings.module';
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
  private readonly sessionMaxSeconds: number;

  constructor(
    private readonly views: Views,
    private readonly signIns: SignInService,
    private readonly sessions: SessionsService,
    private readonly tokens: TokensService,
    @Inject(SETTINGS) settings: Settings,
  ) {
    this.sessionMaxSeconds = settings.config.auth.sessionMaxSeconds;
  }

  @Get()
  @Page()
  async home(@Req() req: Request): Promise<string> {
    return this.views.render('home', await this.context(req));
  }

  @Get('masuk')
  @Page()
  signInPage(@Req() req: Request, @Query('lanjut') next?: string, @Query('sesi') session?: string): string {
    return this.views.render('masuk', webContextOf(req), { next: localPath(next, ''), expired: session === 'habis' });
  }

  @Post('masuk')
  @Page()
  async signIn(@Req() req: Request, @Res() res: Response, @Body() body: SignInForm): Promise<void> {
    const username = String(body.username ?? '');
    // The web session lasts up to the maximum; the idle timeout (server side) ends it sooner when unused.
    const result = await this.signIns.signIn(username, String(body.password ?? ''), clientAddress(req), this.sessionMaxSeconds);
    if (result.kind !== 'ok') {
      if (result.kind === 'throttled') res.setHeader('Retry-After', String(result.retryAfterSeconds));
      res
        .status(result.kind === 'throttled' ? 429 : 401)
        .type('html')
        .send(
          this.views.render('masuk', webContextOf(req), {
            next: localPath(body.lanjut, ''),
            failed: result.kind === 'failed',
            retryAfter: result.kind === 'throttled' ? result.retryAfterSeconds : undefined,
            username: body.username,
          }),
        );
      return;
    }
    const principal = result.principal;
    setSession(res, req, result.token, this.sessionMaxSeconds);
    res.append(
      'Set-Cookie',
      serialize(USERNAME_COOKIE, String(body.username), { path: '/', sameSite: 'strict', httpOnly: true, secure: req.secure }),
    );
    res.redirect(303, localPath(body.lanjut, principal.role === 'auditor' ? '/audit' : '/konsol/antrean'));
  }

  @Post('keluar')
  @Page()
  async signOut(@Req() req: Request, @Res() res: Response): Promise<void> {
    const token = sessionToken(req);
    const session = token ? this.tokens.verify(token) : undefined;
    if (session) await this.sessions.revoke(session.sessionId); // the token stops working, not only the cookie
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
  private async context(req: Request) {
    const token = sessionToken(req);
    const session = token ? this.tokens.verify(token) : undefined;
    const live = session && (await this.sessions.touch(session.sessionId, session.principal.userId));
    return webContextOf(req, live ? session.principal : undefined);
  }
}
