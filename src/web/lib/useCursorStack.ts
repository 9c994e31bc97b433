import { useEffect, useRef, useState } from 'react';

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
  return {
    cursor,
    page: stack.length + 1,
    hasPrevious: stack.length > 0 || cursor !== undefined,
    next: (nextCursor: string) => {
      setStack((s) => [...s, cursor]);
      setCursor(nextCursor);
    },
    previous: () => {
      setStack((s) => s.slice(0, -1));
      setCursor(stack.length > 0 ? stack[stack.length - 1] : undefined);
    },
  };
}
