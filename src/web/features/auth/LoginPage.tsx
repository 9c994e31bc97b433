import {
  Alert,
  Box,
  Button,
  Center,
  Group,
  Paper,
  PasswordInput,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { getRouteApi, useRouter } from '@tanstack/react-router';
import { type FormEvent, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api, setCsrfToken } from '../../api/client.ts';
import { sessionQuery } from '../../api/session.ts';
import type { Me, Session } from '../../api/types.ts';
import { LanguageSwitch } from '../../components/AppLayout.tsx';
import { describeError, fieldError } from '../../components/ErrorAlert.tsx';
import i18n, { currentLocale } from '../../i18n/index.ts';
import { useDocumentTitle } from '../../lib/useDocumentTitle.ts';

const route = getRouteApi('/login');

export function LoginPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('login.title'));
  const search = route.useSearch();
  const router = useRouter();
  const queryClient = useQueryClient();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  // A language picked on this page is the person's choice: it goes to their account at sign-in.
  const languageAtStart = useRef(currentLocale());

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const session = await api.post<Session>('/auth/login', { username, password });
      setCsrfToken(session.csrfToken);
      const picked = currentLocale() !== languageAtStart.current ? currentLocale() : null;
      if (picked && picked !== session.account.locale) {
        const me = await api.patch<Me>('/me', { locale: picked }).catch(() => null);
        queryClient.setQueryData(sessionQuery.queryKey, me ? { ...session, account: me.data } : session);
      } else {
        queryClient.setQueryData(sessionQuery.queryKey, session);
        if (session.account.locale) await i18n.changeLanguage(session.account.locale);
      }
      await router.navigate({ href: search.redirect ?? '/', replace: true });
    } catch (err) {
      setError(err);
      setPassword('');
    } finally {
      setBusy(false);
    }
  };

  const usernameError = fieldError(error, 'username');
  const passwordError = fieldError(error, 'password');
  const general = error && !usernameError && !passwordError ? generalMessage(error, t) : null;

  return (
    <Box bg="gray.0" mih="100vh">
      <Group component="header" justify="space-between" px="lg" py="sm" bg="indigo.9">
        <Text fw={700} fz={18} c="white">
          Steward
        </Text>
        <LanguageSwitch />
      </Group>
      <Center component="main" id="main" py={64} px="md">
        <Paper withBorder shadow="xs" p="xl" radius="md" w={400} maw="100%">
          <form onSubmit={submit} noValidate aria-describedby={general ? 'login-error' : undefined}>
            <Stack gap="md">
              <div>
                <Title order={1} fz={24}>
                  {t('login.title')}
                </Title>
                <Text c="dimmed" size="sm" mt={4}>
                  {t('login.intro')}
                </Text>
              </div>
              {general && (
                <Alert
                  id="login-error"
                  role="alert"
                  color="red"
                  variant="light"
                  icon={<IconAlertTriangle size={18} aria-hidden="true" />}
                  title={general}
                />
              )}
              <TextInput
                label={t('login.username')}
                name="username"
                autoComplete="username"
                required
                value={username}
                onChange={(e) => setUsername(e.currentTarget.value)}
                error={usernameError}
                data-autofocus
                autoFocus
              />
              <PasswordInput
                label={t('login.password')}
                name="password"
                autoComplete="current-password"
                required
                value={password}
                onChange={(e) => setPassword(e.currentTarget.value)}
                error={passwordError}
                visibilityToggleButtonProps={{
                  'aria-label': t('login.showPassword'),
                }}
              />
              <Button type="submit" loading={busy} fullWidth>
                {t('login.submit')}
              </Button>
            </Stack>
          </form>
        </Paper>
      </Center>
    </Box>
  );
}

function generalMessage(error: unknown, t: (k: string) => string): string {
  if (error instanceof ApiError && (error.status === 401 || error.status === 429)) return error.title;
  return describeError(error, t).heading;
}
