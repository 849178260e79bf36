import { chromium } from 'playwright-core';
const b = await chromium.launch({executablePath:'/usr/bin/chromium', args:['--headless=new','--no-sandbox']});
const page = await b.newPage();
page.on('console', m => console.log('console', m.type(), m.text()));
page.on('pageerror', e => console.log('pageerror', e.message));
await page.goto(process.argv[2]);
await page.waitForTimeout(2000);
console.log(await page.evaluate(() => { const f = document.querySelector('vn-flow'); const c = f?.shadowRoot?.querySelector('vn-capture'); return [!!f, f?.shadowRoot?.innerHTML.slice(0,300), c?.shadowRoot?.innerHTML.replace(/<!--[^>]*-->/g,'').replace(/poster="[^"]*"/,"poster=…").slice(0, 3000)]; }));
await b.close();
