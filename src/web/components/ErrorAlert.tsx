import { Alert, List } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client.ts';
import { PageHeader } from './PageHeader.tsx';

/**
 * An error in plain words, with what to do next. Field errors are shown next to their fields instead,
 * unless `listFieldErrors` (a table's cells have no room for them) lists them here.
 */
export function ErrorAlert({
  error,
  title,
  listFieldErrors = false,
}: {
  error: unknown;
  title?: string;
  listFieldErrors?: boolean;
}) {
  const { t } = useTranslation();
  if (!error) return null;
  const { heading, text } = describeError(error, t);
  return (
    <Alert
      role="alert"
      color="red"
      variant="light"
      title={title ?? heading}
      icon={<IconAlertTriangle size={18} aria-hidden="true" />}
    >
      {text}
      {error instanceof ApiError &&
        error.errors.length > 0 &&
        (listFieldErrors || !error.errors.every((e) => e.field)) && (
          <List size="sm" mt="xs">
            {error.errors.map((e) => (
              <List.Item key={`${e.field}-${e.message}`}>{e.message}</List.Item>
            ))}
          </List>
        )}
    </Alert>
  );
}

export function describeError(
  error: unknown,
  t: (key: string, opts?: Record<string, unknown>) => string,
): { heading: string; text: string } {
  if (error instanceof ApiError) {
    if (error.status === 0) return { heading: t('errors.network.title'), text: t('errors.network.text') };
    if (error.status === 403)
      return {
        heading: t('errors.forbidden.title'),
        // The policy's generic refusal names its action, which says nothing to a user.
        text: error.type === '/problems/not-permitted' ? t('errors.forbidden.text') : error.title,
      };
    // An address whose id is not one (a mistyped or cut-off link) names nothing there is.
    const badAddress =
      error.status === 400 && error.errors.length > 0 && error.errors.every((e) => e.in === 'params');
    if (error.status === 404 || badAddress)
      return { heading: t('errors.notFound.title'), text: t('errors.notFound.text') };
    if (error.status === 412) return { heading: t('errors.stale.title'), text: t('errors.stale.text') };
    if (error.status >= 500) return { heading: t('errors.server.title'), text: t('errors.server.text') };
    // A rule's refusal: a short heading, the server's sentence (what to do) as the text; the rule's id
    // only as a reference for the service desk.
    if (error.rule)
      return {
        heading: t('errors.refused.title'),
        text: [error.title, error.detail, t('errors.refused.rule', { rule: error.rule })]
          .filter(Boolean)
          .join(' '),
      };
    return { heading: error.title, text: error.detail ?? '' };
  }
  return { heading: t('errors.server.title'), text: error instanceof Error ? error.message : String(error) };
}

/** True for the API's "not allowed" answer (a page then shows why, without its controls). */
export const isForbidden = (error: unknown) => error instanceof ApiError && error.status === 403;

/**
 * An admin page the user may not see: its header (`<page>.title`, `<page>.intro`, under Admin), the
 * reason and the way forward, without its controls.
 */
export function ForbiddenAdminPage({
  page,
  error,
}: {
  page: 'accounts' | 'audit' | 'outbox';
  error: unknown;
}) {
  const { t } = useTranslation();
  return (
    <>
      <PageHeader
        title={t(`${page}.title`)}
        subtitle={t(`${page}.intro`)}
        crumbs={[{ label: t('nav.admin'), to: '/admin' }]}
      />
      <ErrorAlert error={error} />
    </>
  );
}

/** The field's message from an ApiError, for the `error` prop of a Mantine input. */
export function fieldError(error: unknown, field: string): string | undefined {
  const message = error instanceof ApiError ? error.fieldError(field) : undefined;
  return message;
}

/** True when an ApiError has messages for fields other than those the form shows. */
export function hasOnlyFieldErrors(error: unknown, fields: string[]): boolean {
  return (
    error instanceof ApiError &&
    error.status === 400 &&
    error.errors.length > 0 &&
    error.errors.every((e) => fields.includes(e.field))
  );
}
