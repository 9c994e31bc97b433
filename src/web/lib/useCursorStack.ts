import { useEffect, useRef, useState } from 'react';
import type { CursorPaging } from '../components/DataTable.tsx';

/**
 * Cursor paging: the cursors of earlier pages, so "Previous" works. Resets when `resetKey` changes
 * (a new search or filter starts again on page one).
 */
export function useCursorStack(resetKey: string, initial?: string) {
  const [stack, setStack] = useState<(string | undefined)[]>([]);
  const [cursor, setCursor] = useState<string | undefined>(initial);
  const key = useRef(resetKey);
  useEffect(() => {
    if (key.current !== resetKey) {
      key.current = resetKey;
      setStack([]);
      setCursor(undefined);
    }
  }, [resetKey]);
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
