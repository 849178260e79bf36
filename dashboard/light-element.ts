import { LitElement } from 'lit';

/**
 * The dashboard's elements render into the page itself, not a shadow root: one stylesheet
 * (dashboard.css, allowed by the page's CSP as a file of our origin) styles them all, and forms,
 * labels and landmarks work across elements as in any page.
 */
export class LightElement extends LitElement {
  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  /** Focus the page's heading after a view changes: screen readers announce where they are. */
  protected focusHeading(): void {
    void this.updateComplete.then(() => this.querySelector<HTMLElement>('h1')?.focus());
  }
}
