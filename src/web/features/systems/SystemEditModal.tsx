import {
  Button,
  Checkbox,
  Group,
  Modal,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  TagsInput,
  Textarea,
  TextInput,
} from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api } from '../../api/client.ts';
import {
  CRITICALITIES,
  type Environment,
  HOSTINGS,
  LIFECYCLES,
  ORG_MODELS,
  type SystemDetail,
} from '../../api/types.ts';
import { ErrorAlert, fieldError, hasOnlyFieldErrors } from '../../components/ErrorAlert.tsx';
import { currentLocale } from '../../i18n/index.ts';
import { categoryKey, categoryLabel, KNOWN_CATEGORIES } from './personalData.ts';
import { orgModelLabel } from './systemQueries.ts';

const FIELDS = [
  'name',
  'shortName',
  'description',
  'lifecycle',
  'orgModel',
  'vendor',
  'contractOwner',
  'hosting',
  'criticality',
  'confidentiality',
  'integrity',
  'availability',
  'storesPersonalData',
  'personalDataCategories',
  'environments',
  'serviceDeskQueue',
  'resolverGroup',
  'resolverMembersReviewedOn',
];

interface Form {
  name: string;
  shortName: string;
  description: string;
  lifecycle: string;
  orgModel: string;
  vendor: string;
  contractOwner: string;
  hosting: string;
  criticality: string;
  confidentiality: string;
  integrity: string;
  availability: string;
  storesPersonalData: boolean;
  personalDataCategories: string[];
  environments: string[];
  serviceDeskQueue: string;
  resolverGroup: string;
  resolverMembersReviewedOn: string;
}

const formOf = (s: SystemDetail): Form => ({
  name: s.name,
  shortName: s.shortName,
  description: s.description,
  lifecycle: s.lifecycle,
  orgModel: String(s.orgModel),
  vendor: s.vendor ?? '',
  contractOwner: s.contractOwner ?? '',
  hosting: s.hosting,
  criticality: s.criticality,
  confidentiality: String(s.confidentiality),
  integrity: String(s.integrity),
  availability: String(s.availability),
  storesPersonalData: s.storesPersonalData,
  personalDataCategories: s.personalDataCategories,
  environments: s.environments,
  serviceDeskQueue: s.serviceDeskQueue ?? '',
  resolverGroup: s.resolverGroup ?? '',
  resolverMembersReviewedOn: s.resolverMembersReviewedOn ?? '',
});

const orNull = (v: string) => v.trim() || null;

/** Edits a system's registry fields; sends the ETag it read so a stale edit is refused (412). */
export function SystemEditModal(props: {
  system: SystemDetail;
  etag: string | null;
  opened: boolean;
  onClose: () => void;
}) {
  const { t, i18n } = useTranslation();
  const locale = currentLocale(i18n.language);
  const queryClient = useQueryClient();
  const { system } = props;
  const [form, setForm] = useState<Form>(() => formOf(system));
  useEffect(() => {
    if (props.opened) setForm(formOf(system));
  }, [props.opened, system]);
  const set = (patch: Partial<Form>) => setForm((f) => ({ ...f, ...patch }));

  const save = useMutation({
    mutationFn: () =>
      api.patch<SystemDetail>(
        `/systems/${system.id}`,
        {
          name: form.name,
          shortName: form.shortName,
          description: form.description,
          lifecycle: form.lifecycle,
          orgModel: Number(form.orgModel),
          vendor: orNull(form.vendor),
          contractOwner: orNull(form.contractOwner),
          hosting: form.hosting,
          criticality: form.criticality,
          confidentiality: Number(form.confidentiality),
          integrity: Number(form.integrity),
          availability: Number(form.availability),
          storesPersonalData: form.storesPersonalData,
          personalDataCategories: form.storesPersonalData ? form.personalDataCategories : [],
          environments: form.environments as Environment[],
          serviceDeskQueue: orNull(form.serviceDeskQueue),
          resolverGroup: orNull(form.resolverGroup),
          resolverMembersReviewedOn: orNull(form.resolverMembersReviewedOn),
        },
        props.etag,
      ),
    onSuccess: (res) => {
      queryClient.setQueryData(['systems', 'one', system.id], res);
      void queryClient.invalidateQueries({ queryKey: ['systems', 'list'] });
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
    await queryClient.invalidateQueries({ queryKey: ['systems', 'one', system.id] });
    save.reset();
  };
  const close = () => {
    save.reset();
    props.onClose();
  };
  const levels = ['1', '2', '3', '4'].map((v) => ({ value: v, label: v }));
  const sel = (key: keyof Form, label: string, data: { value: string; label: string }[]) => (
    <Select
      label={label}
      required
      data={data}
      value={form[key] as string}
      onChange={(v) => v && set({ [key]: v } as Partial<Form>)}
      allowDeselect={false}
      error={fieldError(error, key)}
      comboboxProps={{ withinPortal: true }}
    />
  );

  return (
    <Modal
      closeButtonProps={{ 'aria-label': t('common.close') }}
      opened={props.opened}
      onClose={close}
      title={t('system.edit.title', { name: system.name })}
      size="xl"
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
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput
              label={t('system.field.name')}
              required
              value={form.name}
              onChange={(e) => set({ name: e.currentTarget.value })}
              error={fieldError(error, 'name')}
              data-autofocus
            />
            <TextInput
              label={t('system.field.shortName')}
              required
              value={form.shortName}
              onChange={(e) => set({ shortName: e.currentTarget.value })}
              error={fieldError(error, 'shortName')}
            />
          </SimpleGrid>
          <Textarea
            label={t('system.field.description')}
            value={form.description}
            onChange={(e) => set({ description: e.currentTarget.value })}
            error={fieldError(error, 'description')}
            autosize
            minRows={2}
          />
          <SimpleGrid cols={{ base: 1, sm: 2, md: 4 }}>
            {sel(
              'lifecycle',
              t('systems.col.lifecycle'),
              LIFECYCLES.map((v) => ({ value: v, label: t(`systems.lifecycle.${v}`) })),
            )}
            {sel(
              'orgModel',
              t('systems.col.orgModel'),
              ORG_MODELS.map((v) => ({ value: String(v), label: orgModelLabel(t, v) })),
            )}
            {sel(
              'hosting',
              t('systems.col.hosting'),
              HOSTINGS.map((v) => ({ value: v, label: t(`systems.hosting.${v}`) })),
            )}
            {sel(
              'criticality',
              t('systems.col.criticality'),
              CRITICALITIES.map((v) => ({ value: v, label: t(`systems.criticality.${v}`) })),
            )}
          </SimpleGrid>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput
              label={t('system.field.vendor')}
              value={form.vendor}
              onChange={(e) => set({ vendor: e.currentTarget.value })}
              error={fieldError(error, 'vendor')}
            />
            <TextInput
              label={t('system.field.contractOwner')}
              value={form.contractOwner}
              onChange={(e) => set({ contractOwner: e.currentTarget.value })}
              error={fieldError(error, 'contractOwner')}
            />
          </SimpleGrid>
          <SimpleGrid cols={3}>
            {sel('confidentiality', t('system.field.confidentiality'), levels)}
            {sel('integrity', t('system.field.integrity'), levels)}
            {sel('availability', t('system.field.availability'), levels)}
          </SimpleGrid>
          <Switch
            label={t('system.field.storesPersonalData')}
            checked={form.storesPersonalData}
            onChange={(e) => set({ storesPersonalData: e.currentTarget.checked })}
          />
          {form.storesPersonalData && (
            <TagsInput
              label={t('system.field.personalDataCategories')}
              description={t('system.edit.categoriesHint')}
              // Shown and suggested in the UI language, recorded as keys (G9).
              data={KNOWN_CATEGORIES.map((c) => categoryLabel(c, locale))}
              value={form.personalDataCategories.map((c) => categoryLabel(c, locale))}
              onChange={(v) => set({ personalDataCategories: [...new Set(v.map(categoryKey))] })}
              error={fieldError(error, 'personalDataCategories')}
            />
          )}
          <Checkbox.Group
            label={t('system.field.environments')}
            value={form.environments}
            onChange={(v) => set({ environments: v })}
            error={fieldError(error, 'environments')}
          >
            <Group mt={4}>
              <Checkbox value="production" label={t('system.environment.production')} />
              <Checkbox value="test" label={t('system.environment.test')} />
            </Group>
          </Checkbox.Group>
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <TextInput
              label={t('system.field.serviceDeskQueue')}
              value={form.serviceDeskQueue}
              onChange={(e) => set({ serviceDeskQueue: e.currentTarget.value })}
              error={fieldError(error, 'serviceDeskQueue')}
            />
            <TextInput
              label={t('system.field.resolverGroup')}
              value={form.resolverGroup}
              onChange={(e) => set({ resolverGroup: e.currentTarget.value })}
              error={fieldError(error, 'resolverGroup')}
            />
            <TextInput
              type="date"
              label={t('system.field.resolverReviewedOn')}
              value={form.resolverMembersReviewedOn}
              onChange={(e) => set({ resolverMembersReviewedOn: e.currentTarget.value })}
              error={fieldError(error, 'resolverMembersReviewedOn')}
            />
          </SimpleGrid>
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
