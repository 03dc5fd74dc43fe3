// The negative control of browser-transports.test.ts: the protocol's schema checks WITHOUT
// eval-free.ts, under the same strict CSP. TypeBox's code generation (its probe for it, at least)
// must be reported as a CSP violation, or the test could not see one.
// With `?embed=<origin>` it also loads itself from that origin in an iframe (an out-of-process
// frame), so the test sees that violations in such frames are caught too.
import { compileChecker, Struct, Type } from '../../rpc/schema.ts';
import type { PageDocument, PageWindow } from './page-dom.ts';

declare const window: PageWindow;
declare const document: PageDocument;

const embed = new URLSearchParams(window.location.search).get('embed');

function timeout(): Promise<string> {
  return new Promise((resolve) => setTimeout(() => resolve('none'), 3000));
}

const own = Promise.race([
  new Promise<string>((resolve) => {
    document.addEventListener('securitypolicyviolation', (event) => resolve(event.violatedDirective), { once: true });
  }),
  timeout(),
]);
const embedded = embed
  ? Promise.race([
      new Promise<string>((resolve) => {
        window.addEventListener('message', (event) => {
          if (event.origin === embed) resolve(String(event.data));
        });
        const frame = document.createElement('iframe');
        frame.src = `${embed}/control.html`;
        document.body.append(frame);
      }),
      timeout(),
    ])
  : Promise.resolve('not embedded');

const parsed = compileChecker(Struct({ a: Type.String({ maxLength: 4 }) })).check({ a: 'x' });

if (window.parent !== window) void own.then((directive) => window.parent.postMessage(directive, '*'));
Object.assign(window, {
  control: Promise.all([own, embedded]).then(([directive, frameDirective]) => ({ parsed, directive, frameDirective })),
});
