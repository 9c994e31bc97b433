import { Button, Group, Modal, Stack, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api } from '../../api/client.ts';
import type { Person } from '../../api/types.ts';
import { ErrorAlert, fieldError, hasOnlyFieldErrors } from '../../components/ErrorAlert.tsx';

const FIELDS = ['givenName', 'familyName', 'email'];

/** Edits a person's name and e-mail; sends the ETag it read so a stale edit is refused (412). */
export function PersonEditModal(props: {
  person: Person;
  etag: string | null;
  opened: boolean;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const { person } = props;
  const [form, setForm] = useState({ givenName: '', familyName: '', email: '' });
  useEffect(() => {
    if (props.opened)
      setForm({ givenName: person.givenName, familyName: person.familyName, email: person.email ?? '' });
  }, [props.opened, person]);

  const save = useMutation({
    mutationFn: () =>
      api.patch<Person>(
        `/persons/${person.id}`,
        { givenName: form.givenName, familyName: form.familyName, email: form.email.trim() || null },
        props.etag,
      ),
    onSuccess: (res) => {
      queryClient.setQueryData(['persons', 'one', person.id], res);
      void queryClient.invalidateQueries({ queryKey: ['persons', 'list'] });
      props.onClose();
    },
  });
  const error = save.error;
  const stale = error instanceof ApiError && error.status === 412;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  // The notice stays until the latest version is in the form, so nothing typed meanwhile is overwritten
  // by the refetched values (and the next save carries the new ETag).
  const reload = async () => {
    await queryClient.invalidateQueries({ queryKey: ['persons', 'one', person.id] });
    save.reset();
  };
  const close = () => {
    save.reset();
    props.onClose();
  };

  return (
    <Modal
      closeButtonProps={{ 'aria-label': t('common.close') }}
      opened={props.opened}
      onClose={close}
      title={t('person.edit.title', { name: person.displayName })}
      size="md"
    >
      <form onSubmit={submit} noValidate>
        <Stack>
          {stale ? (
            <Stack gap="xs">
              <ErrorAlert error={error} />
              <Group>
                <Button variant="light" onClick={() => void reload()}>
                  {t('person.edit.reload')}
                </Button>
              </Group>
            </Stack>
          ) : (
            !hasOnlyFieldErrors(error, FIELDS) && <ErrorAlert error={error} />
          )}
          <TextInput
            label={t('person.givenName')}
            required
            value={form.givenName}
            onChange={(e) => setForm({ ...form, givenName: e.currentTarget.value })}
            error={fieldError(error, 'givenName')}
            data-autofocus
          />
          <TextInput
            label={t('person.familyName')}
            required
            value={form.familyName}
            onChange={(e) => setForm({ ...form, familyName: e.currentTarget.value })}
            error={fieldError(error, 'familyName')}
          />
          <TextInput
            label={t('person.email')}
            type="email"
            value={form.email}
            onChange={(e) => setForm({ ...form, email: e.currentTarget.value })}
            error={fieldError(error, 'email')}
            autoComplete="off"
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={save.isPending}>
              {t('common.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
