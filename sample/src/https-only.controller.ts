import { Controller, Get, Header } from '@nestjs/common';
import { Session, Sessions, type SessionContainer } from '../../src/index';
import { renderPage } from './views/layout';

interface HttpsOnlyData {
  visits: number;
}

/** The `https_only` namespace: mounted by a discriminator only on https requests. */
@Controller('secure')
export class HttpsOnlyController {
  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  async show(
    @Session('https_only') secure: Session<HttpsOnlyData> | null,
    @Sessions() sessions: SessionContainer,
  ): Promise<string> {
    const how = `<p>The namespace is registered with the discriminator
<code>(req) =&gt; req.secure</code>. The sample sets Express's <code>trust proxy</code> to
<code>loopback</code>, so a TLS proxy on this machine (or you, with
<code>curl -i -H 'X-Forwarded-Proto: https' http://localhost:3000/secure</code>) can mark a
request as https.</p>`;
    if (secure === null) {
      return renderPage({
        title: 'https only: not mounted',
        sessions,
        body: `
<p>This request came over plain http, so <code>@Session('https_only')</code> gave the handler
<strong>null</strong>. Nothing was read from the <code>https_only</code> cookie and nothing will
be written: a session meant for https never travels in clear text. The <code>null</code> is
cached for the rest of the request.</p>
${how}`,
      });
    }
    const visits = (secure.get('visits') ?? 0) + 1;
    secure.set('visits', visits);
    return renderPage({
      title: 'https only: mounted',
      sessions,
      body: `
<p>This request is https, so the namespace is mounted. Visits counted in it:
<strong>${visits}</strong>. Its cookie is <code>Secure</code> and <code>SameSite=Strict</code>.</p>
${how}`,
    });
  }
}
