import { Button, Code, CopyButton, Group, Text } from '@mantine/core';
import { IconEye } from '@tabler/icons-react';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';

/** S2: a licence key's hint, and a button that fetches the key in clear (each reveal is audited). */
export function KeyReveal({ keyId, hint }: { keyId: string; hint: string }) {
  const { t } = useTranslation();
  const reveal = useMutation({
    mutationFn: () => api.post<{ keyId: string; key: string }>(`/licence-keys/${keyId}/reveal`),
  });
  if (reveal.data)
    return (
      <Group gap="xs" wrap="nowrap">
        <Code fz="sm" data-testid="revealed-key">
          {reveal.data.key}
        </Code>
        <CopyButton value={reveal.data.key}>
          {({ copied, copy }) => (
            <Button size="compact-xs" variant="subtle" onClick={copy}>
              {copied ? t('software.copied') : t('software.copy')}
            </Button>
          )}
        </CopyButton>
      </Group>
    );
  return (
    <Group gap="xs" wrap="nowrap">
      <Text span ff="monospace" fz="sm">
        {hint}
      </Text>
      <Button
        size="compact-xs"
        variant="light"
        leftSection={<IconEye size={14} aria-hidden="true" />}
        loading={reveal.isPending}
        onClick={() => reveal.mutate()}
        aria-label={t('software.revealLabel', { hint })}
      >
        {t('software.reveal')}
      </Button>
      {reveal.error ? <ErrorAlert error={reveal.error} /> : null}
    </Group>
  );
}
