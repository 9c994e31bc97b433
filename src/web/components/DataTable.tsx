import {
  Box,
  Button,
  Checkbox,
  Group,
  LoadingOverlay,
  Popover,
  Stack,
  Table,
  Text,
  UnstyledButton,
  VisuallyHidden,
} from '@mantine/core';
import {
  IconArrowDown,
  IconArrowsSort,
  IconArrowUp,
  IconChevronLeft,
  IconChevronRight,
  IconColumns,
} from '@tabler/icons-react';
import { Fragment, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import classes from './DataTable.module.css';
import { useHiddenColumns } from './tableColumns.ts';

export interface Column<T> {
  key: string;
  header: ReactNode;
  render: (row: T) => ReactNode;
  width?: number | string;
  /** When set, the header is a button that changes the sort. */
  sort?: { direction: 'ascending' | 'descending' | null; onToggle: () => void };
  nowrap?: boolean;
  /** The column's name in the column chooser, when the header is not plain text. */
  label?: string;
  /** False: the column cannot be hidden (the first column never can: it names the row). */
  hideable?: boolean;
}

export interface CursorPaging {
  hasPrevious: boolean;
  hasNext: boolean;
  onPrevious: () => void;
  onNext: () => void;
  label?: ReactNode;
}

/**
 * A dense table with server-side paging: a caption for screen readers, sortable headers, empty state.
 * With `columnsId`, the user chooses its columns, remembered on their account under that name.
 */
export function DataTable<T>(props: {
  caption: string;
  columnsId?: string;
  columns: Column<T>[];
  rows: T[] | undefined;
  rowKey: (row: T) => string;
  loading?: boolean;
  empty?: ReactNode;
  paging?: CursorPaging;
  /** An extra full-width row under a row (e.g. details), or null. */
  expanded?: (row: T) => ReactNode | null;
  footer?: ReactNode;
}) {
  const { t } = useTranslation();
  const rows = props.rows ?? [];
  const [hidden, setHidden] = useHiddenColumns(props.columnsId);
  const canHide = (c: Column<T>, i: number) => i > 0 && c.hideable !== false;
  const columns = props.columns.filter((c, i) => !canHide(c, i) || !hidden.includes(c.key));
  const showEmpty = !props.loading && props.rows !== undefined && rows.length === 0;
  return (
    <Box>
      {props.columnsId && (
        <Group justify="flex-end" mb={4}>
          <ColumnChooser
            columns={props.columns.filter(canHide)}
            hidden={hidden}
            onChange={setHidden}
            caption={props.caption}
          />
        </Group>
      )}
      <Box
        pos="relative"
        mih={rows.length === 0 && props.loading ? 160 : undefined}
        display={showEmpty ? 'none' : undefined}
      >
        <LoadingOverlay
          visible={Boolean(props.loading)}
          zIndex={5}
          overlayProps={{ blur: 0, opacity: 0.4 }}
        />
        <Table.ScrollContainer minWidth={640} className={classes.scroller}>
          <Table
            striped
            highlightOnHover
            verticalSpacing={6}
            horizontalSpacing="sm"
            fz="sm"
            withTableBorder
            className={classes.table}
            role="table"
          >
            <VisuallyHidden component="caption">{props.caption}</VisuallyHidden>
            <Table.Thead role="rowgroup">
              <Table.Tr role="row">
                {columns.map((c) => (
                  <Table.Th
                    role="columnheader"
                    key={c.key}
                    w={c.width}
                    aria-sort={c.sort ? (c.sort.direction ?? 'none') : undefined}
                    style={{ whiteSpace: 'nowrap' }}
                  >
                    {c.sort ? <SortHeader label={c.header} sort={c.sort} /> : c.header}
                  </Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody role="rowgroup">
              {rows.map((row) => {
                const extra = props.expanded?.(row);
                return (
                  <Fragment key={props.rowKey(row)}>
                    <Table.Tr role="row">
                      {columns.map((c, i) => (
                        <Table.Td
                          key={c.key}
                          role="cell"
                          data-label={i > 0 ? cellLabel(c) : undefined}
                          className={c.nowrap ? classes.nowrap : undefined}
                        >
                          {c.render(row)}
                        </Table.Td>
                      ))}
                    </Table.Tr>
                    {extra && (
                      <Table.Tr role="row">
                        <Table.Td
                          role="cell"
                          className={classes.full}
                          colSpan={columns.length}
                          bg="var(--mantine-color-gray-0)"
                        >
                          {extra}
                        </Table.Td>
                      </Table.Tr>
                    )}
                  </Fragment>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Box>
      {showEmpty && props.empty}
      {props.paging && (props.paging.hasNext || props.paging.hasPrevious) && (
        <Group justify="space-between" mt="sm">
          <Text size="sm" c="dimmed">
            {props.paging.label}
          </Text>
          <Group gap="xs" component="nav" aria-label={t('table.paging')}>
            <Button
              variant="default"
              size="xs"
              leftSection={<IconChevronLeft size={14} aria-hidden="true" />}
              disabled={!props.paging.hasPrevious}
              onClick={props.paging.onPrevious}
            >
              {t('table.previous')}
            </Button>
            <Button
              variant="default"
              size="xs"
              rightSection={<IconChevronRight size={14} aria-hidden="true" />}
              disabled={!props.paging.hasNext}
              onClick={props.paging.onNext}
            >
              {t('table.next')}
            </Button>
          </Group>
        </Group>
      )}
      {props.footer}
    </Box>
  );
}

/** The name a cell shows before its value on a phone: the column's label or text header (none for actions). */
const cellLabel = <T,>(c: Column<T>) => c.label ?? (typeof c.header === 'string' ? c.header : undefined);

/** A column's name as text in the column chooser (its key when it has none). */
const labelOf = <T,>(c: Column<T>) => cellLabel(c) ?? c.key;

/** The columns a user may hide, as checkboxes in a popover; "Show all" brings every column back. */
function ColumnChooser<T>(props: {
  columns: Column<T>[];
  hidden: string[];
  onChange: (hidden: string[]) => void;
  caption: string;
}) {
  const { t } = useTranslation();
  const hiddenHere = props.columns.filter((c) => props.hidden.includes(c.key)).length;
  return (
    <Popover position="bottom-end" shadow="md" trapFocus>
      <Popover.Target>
        <Button
          variant="subtle"
          size="compact-sm"
          leftSection={<IconColumns size={14} aria-hidden="true" />}
          aria-label={`${t('table.columns')}: ${props.caption}`}
        >
          {hiddenHere ? t('table.columnsHidden', { count: hiddenHere }) : t('table.columns')}
        </Button>
      </Popover.Target>
      <Popover.Dropdown>
        <Stack gap={8} component="fieldset" style={{ border: 0, padding: 0, margin: 0, minWidth: 180 }}>
          <Text component="legend" size="sm" fw={600} mb={6}>
            {t('table.columnsShown')}
          </Text>
          {props.columns.map((c) => (
            <Checkbox
              key={c.key}
              size="xs"
              label={labelOf(c)}
              checked={!props.hidden.includes(c.key)}
              onChange={(e) =>
                props.onChange(
                  e.currentTarget.checked
                    ? props.hidden.filter((k) => k !== c.key)
                    : [...props.hidden, c.key],
                )
              }
            />
          ))}
          {hiddenHere > 0 && (
            <Button variant="light" size="compact-xs" onClick={() => props.onChange([])}>
              {t('table.showAllColumns')}
            </Button>
          )}
        </Stack>
      </Popover.Dropdown>
    </Popover>
  );
}

function SortHeader({ label, sort }: { label: ReactNode; sort: NonNullable<Column<unknown>['sort']> }) {
  const { t } = useTranslation();
  const Icon =
    sort.direction === 'ascending'
      ? IconArrowUp
      : sort.direction === 'descending'
        ? IconArrowDown
        : IconArrowsSort;
  return (
    <UnstyledButton
      onClick={sort.onToggle}
      fw={700}
      fz="sm"
      style={{ display: 'inline-flex', alignItems: 'center', gap: 4 }}
    >
      {label}
      <Icon size={14} aria-hidden="true" />
      <VisuallyHidden>
        {sort.direction === 'ascending'
          ? t('table.sortedAscending')
          : sort.direction === 'descending'
            ? t('table.sortedDescending')
            : t('table.sortable')}
      </VisuallyHidden>
    </UnstyledButton>
  );
}
