import { html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { api, ApiError } from '../api.js';
import { LightElement } from '../light-element.js';

/** Sign-in: email and password; emits `signed-in` with the session. */
@customElement('vn-login')
export class LoginPage extends LightElement {
  @state() private busy = false;
  @state() private problem = '';

  override firstUpdated(): void {
    this.querySelector<HTMLInputElement>('input[type=email]')?.focus();
  }

  private async submit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const data = new FormData(form);
    this.busy = true;
    this.problem = '';
    try {
      const session = await api.signIn(String(data.get('email')), String(data.get('password')));
      this.dispatchEvent(new CustomEvent('signed-in', { detail: session }));
    } catch (error) {
      this.problem = error instanceof ApiError && error.code === 'invalid_request'
        ? 'Enter your email address and your password.'
        : error instanceof Error ? error.message : String(error);
    } finally {
      this.busy = false;
    }
  }

  override render() {
    return html`<main class="page login">
      <div class="card">
        <p class="muted">verify-now</p>
        <h1 tabindex="-1">Sign in to your dashboard</h1>
        <form @submit=${this.submit} novalidate>
          <label class="field">Email address
            <input type="email" name="email" autocomplete="username" required />
          </label>
          <label class="field">Password
            <input type="password" name="password" autocomplete="current-password" required />
          </label>
          ${this.problem ? html`<p class="error" role="alert">${this.problem}</p>` : nothing}
          <div class="actions"><button type="submit" ?disabled=${this.busy}>${this.busy ? 'Signing in…' : 'Sign in'}</button></div>
        </form>
        <p class="hint">No account yet? An operator creates users with <code>npm run admin -- create-user</code>.</p>
      </div>
    </main>`;
  }
}
