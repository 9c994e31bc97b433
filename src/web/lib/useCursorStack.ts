import { useRouterState } from '@tanstack/react-router';
import { useEffect, useRef, useState } from 'react';
import type { CursorPaging } from '../components/DataTable.tsx';

interface Saved {
  resetKey: string;
  stack: (string | undefined)[];
  cursor: string | undefined;
}

const storageKey = (entry: string, resetKey: string) => `steward.paging.${entry}.${resetKey}`;

function restore(entry: string | undefined, resetKey: string): Saved | null {
  if (!entry) return null;
  try {
    const raw = sessionStorage.getItem(storageKey(entry, resetKey));
    const saved = raw ? (JSON.parse(raw) as Saved) : null;
    return saved?.resetKey === resetKey && Array.isArray(saved.stack) ? saved : null;
  } catch {
    return null;
  }
}

/**
 * Cursor paging: the cursors of earlier pages, so "Previous" works. Resets when `resetKey` changes
 * (a new search or filter starts again on page one). The page is kept with the browser's history
 * entry, so Back from a row's page returns to the page the row was on (a new visit starts on page one).
 */
export function useCursorStack(resetKey: string) {
  const entry = useRouterState({
    select: (s) => {
      const state = s.location.state as { __TSR_key?: string; key?: string };
      return state.__TSR_key ?? state.key;
    },
  });
  const [initial] = useState(() => restore(entry, resetKey));
  const [stack, setStack] = useState<(string | undefined)[]>(initial?.stack ?? []);
  const [cursor, setCursor] = useState<string | undefined>(initial?.cursor);
  const key = useRef(resetKey);
  useEffect(() => {
    if (key.current !== resetKey) {
      key.current = resetKey;
      setStack([]);
      setCursor(undefined);
    }
  }, [resetKey]);
  useEffect(() => {
    if (!entry || key.current !== resetKey) return;
    try {
      const k = storageKey(entry, resetKey);
      if (cursor === undefined && stack.length === 0) sessionStorage.removeItem(k);
      else sessionStorage.setItem(k, JSON.stringify({ resetKey, stack, cursor } satisfies Saved));
    } catch {
      // Storage full or disabled: paging still works, only Back starts again on page one.
    }
  }, [entry, resetKey, stack, cursor]);
  const hasPrevious = stack.length > 0 || cursor !== undefined;
  const next = (nextCursor: string) => {
    setStack((s) => [...s, cursor]);
    setCursor(nextCursor);
  };
  const previous = () => {
    setStack((s) => s.slice(0, -1));
    setCursor(stack.length > 0 ? stack[stack.length - 1] : undefined);
  };
  return {
    cursor,
    page: stack.length + 1,
    hasPrevious,
    next,
    previous,
    /** A table's paging for the page just read (its `nextCursor`, null on the last page). */
    table: (nextCursor: string | null | undefined): CursorPaging => ({
      hasPrevious,
      hasNext: Boolean(nextCursor),
      onPrevious: previous,
      onNext: () => nextCursor && next(nextCursor),
    }),
  };
}
