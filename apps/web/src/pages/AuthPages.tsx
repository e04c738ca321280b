import { useState, type FormEvent, type ReactNode } from 'react';
import { Link, Navigate, useSearchParams } from 'react-router';
import { LoginBody, SignupBody } from '@tradewire/contract';
import { useLogin, useSignup } from '../api/auth';
import { useSession } from '../api/auth-store';
import { Button } from '../components/ui/button';
import { Card } from '../components/ui/card';
import { Field } from '../components/ui/field';
import { Input } from '../components/ui/input';
import { fieldErrors, serverFieldErrors, type FieldErrors } from '../lib/zod-errors';
import { useDocumentTitle } from '../hooks/use-page-heading';

const AUTH_FIELDS = new Set(['email', 'password', 'display_name']);
const knownAuthField = (p: string) => (AUTH_FIELDS.has(p) ? p : null);

function AuthLayout({ title, children, footer }: { title: string; children: ReactNode; footer: ReactNode }) {
  useDocumentTitle(title);
  return (
    <main className="grid min-h-dvh place-items-center bg-background p-4">
      <div className="w-full max-w-sm">
        <div className="mb-6 flex items-center justify-center gap-2 text-lg font-semibold">
          <span className="grid size-8 place-items-center rounded-md bg-profit/15 text-profit">T</span>
          Tradewire
        </div>
        <Card className="p-6">
          <h1 className="mb-4 text-xl font-semibold">{title}</h1>
          {children}
        </Card>
        <p className="mt-4 text-center text-sm text-muted-foreground">{footer}</p>
      </div>
    </main>
  );
}

/** The server's own words: on these forms (wrong password, taken email) they are already the plain answer. */
function FormError({ message }: { message: string | null }) {
  if (!message) return null;
  return (
    <p role="alert" className="rounded-md border border-loss/30 bg-loss/10 px-3 py-2 text-sm text-loss" data-testid="form-error">
      {message}
    </p>
  );
}

/** Where to go after signing in: the page that sent us here, if it is one of ours. */
function useNext() {
  const [params] = useSearchParams();
  const next = params.get('next');
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

export function LoginPage() {
  const session = useSession();
  const next = useNext();
  const login = useLogin();
  const [errors, setErrors] = useState<FieldErrors>({});
  if (session) return <Navigate to={next} replace />;

  const submit = (ev: FormEvent<HTMLFormElement>) => {
    ev.preventDefault();
    const form = new FormData(ev.currentTarget);
    const parsed = LoginBody.safeParse({ email: form.get('email'), password: form.get('password') });
    if (!parsed.success) return setErrors(fieldErrors(parsed.error));
    setErrors({});
    login.mutate(parsed.data, { onError: (e) => setErrors(serverFieldErrors(e, knownAuthField)) });
  };

  return (
    <AuthLayout
      title="Log in"
      footer={
        <>
          No account yet?{' '}
          <Link to="/signup" className="tap inline-flex items-center text-blue-400 underline underline-offset-4">
            Sign up
          </Link>
        </>
      }
    >
      <form className="grid grid-cols-1 gap-4" onSubmit={submit} noValidate data-testid="login-form">
        <FormError message={login.error && Object.keys(errors).length === 0 ? login.error.message : null} />
        <Field label="Email" name="email" error={errors.email}>
          <Input type="email" autoComplete="email" required />
        </Field>
        <Field label="Password" name="password" error={errors.password}>
          <Input type="password" autoComplete="current-password" required />
        </Field>
        <Button type="submit" variant="primary" disabled={login.isPending}>
          {login.isPending ? 'Logging in…' : 'Log in'}
        </Button>
      </form>
    </AuthLayout>
  );
}

export function SignupPage() {
  const session = useSession();
  const next = useNext();
  const signup = useSignup();
  const [errors, setErrors] = useState<FieldErrors>({});
  if (session) return <Navigate to={next} replace />;

  const submit = (ev: FormEvent<HTMLFormElement>) => {
    ev.preventDefault();
    const form = new FormData(ev.currentTarget);
    const name = String(form.get('display_name') ?? '').trim();
    const parsed = SignupBody.safeParse({
      email: form.get('email'),
      password: form.get('password'),
      ...(name ? { display_name: name } : {}),
    });
    if (!parsed.success) return setErrors(fieldErrors(parsed.error));
    setErrors({});
    signup.mutate(parsed.data, { onError: (e) => setErrors(serverFieldErrors(e, knownAuthField)) });
  };

  return (
    <AuthLayout
      title="Create your account"
      footer={
        <>
          Already have an account?{' '}
          <Link to="/login" className="tap inline-flex items-center text-blue-400 underline underline-offset-4">
            Log in
          </Link>
        </>
      }
    >
      <form className="grid grid-cols-1 gap-4" onSubmit={submit} noValidate data-testid="signup-form">
        <FormError message={signup.error && Object.keys(errors).length === 0 ? signup.error.message : null} />
        <Field label="Email" name="email" error={errors.email}>
          <Input type="email" autoComplete="email" required />
        </Field>
        <Field label="Display name" name="display_name" error={errors.display_name} hint="Optional; defaults to your email's name.">
          <Input autoComplete="nickname" />
        </Field>
        <Field label="Password" name="password" error={errors.password} hint="At least 8 characters, hard to guess: a few uncommon words work well. Not your email.">
          <Input type="password" autoComplete="new-password" required />
        </Field>
        <Button type="submit" variant="primary" disabled={signup.isPending}>
          {signup.isPending ? 'Creating account…' : 'Sign up'}
        </Button>
      </form>
    </AuthLayout>
  );
}
