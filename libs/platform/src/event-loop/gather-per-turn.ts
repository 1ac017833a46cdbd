/**
 * A sink for items that are handled together: the items added during one turn of the event loop are
 * handed to `handle` in one call right after it (`setImmediate`), in the order they were added.
 *
 * Why: on the request path, work done one request at a time between the responses of a turn cost more
 * than the same work done once the turn's responses were out (issue 14, docs/PERFORMANCE.md): every
 * response written mid-turn woke its client anew. Nothing waits longer than the turn in progress. A
 * process that exits abruptly loses at most one turn's items.
 */
export function gatherPerTurn<T>(handle: (items: T[]) => void): (item: T) => void {
  let gathered: T[] = [];
  const handleGathered = (): void => {
    const items = gathered;
    gathered = [];
    handle(items);
  };
  return (item) => {
    if (gathered.length === 0) setImmediate(handleGathered);
    gathered.push(item);
  };
}
