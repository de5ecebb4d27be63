/** Links a {@link RecencyList} keeps in each of its nodes. @internal */
export interface RecencyLinks<N> {
  older: N | undefined;
  newer: N | undefined;
  /** When the node last became the newest; the list is in stamp order, oldest first. */
  stamp: number;
}

/**
 * A doubly linked list of nodes in recency order (oldest first) with one resumable walk: every
 * operation is O(1), whatever the length. A `Map` alone keeps insertion order too, but each
 * eviction through a fresh `keys()` iterator then steps over every slot deleted before it, which
 * made an evicting write cost O(evictions so far) at a million entries.
 *
 * @internal
 */
export class RecencyList<N extends RecencyLinks<N>> {
  private oldestNode: N | undefined;
  private newestNode: N | undefined;
  private clock = 0;
  /** Next node of the walk in progress; removals step it past the node they take out. */
  private cursor: N | undefined;
  /** Nodes stamped after this joined after the walk began, so the walk stops at them. */
  private walkEnd = 0;

  get oldest(): N | undefined {
    return this.oldestNode;
  }

  /** Links a node that is in no list as the newest. */
  append(node: N): void {
    node.stamp = ++this.clock;
    node.older = this.newestNode;
    node.newer = undefined;
    if (this.newestNode === undefined) {
      this.oldestNode = node;
    } else {
      this.newestNode.newer = node;
    }
    this.newestNode = node;
  }

  /** Unlinks a node of this list. */
  remove(node: N): void {
    if (this.cursor === node) {
      this.cursor = node.newer;
    }
    if (node.older === undefined) {
      this.oldestNode = node.newer;
    } else {
      node.older.newer = node.newer;
    }
    if (node.newer === undefined) {
      this.newestNode = node.older;
    } else {
      node.newer.older = node.older;
    }
    node.older = undefined;
    node.newer = undefined;
  }

  /** Makes a node of this list the newest (it was just read or written). */
  moveToNewest(node: N): void {
    this.remove(node);
    this.append(node);
  }

  /** Forgets every node (they become garbage with the map that holds them). */
  clear(): void {
    this.oldestNode = undefined;
    this.newestNode = undefined;
    this.cursor = undefined;
  }

  /** Starts a walk from the oldest node over the nodes present now; a walk in progress restarts. */
  beginWalk(): void {
    this.cursor = this.oldestNode;
    this.walkEnd = this.clock;
  }

  /**
   * Visits up to `limit` nodes of the walk, oldest first, and returns true once the walk is
   * over. `visit` may remove the node it is given. A node moved to the newest end during the walk
   * is not visited again, so a walk ends even while the list keeps changing.
   */
  walk(limit: number, visit: (node: N) => void): boolean {
    for (let visited = 0; visited < limit; visited++) {
      const node = this.cursor;
      if (node === undefined || node.stamp > this.walkEnd) {
        this.cursor = undefined;
        return true;
      }
      this.cursor = node.newer;
      visit(node);
    }
    return this.cursor === undefined || this.cursor.stamp > this.walkEnd;
  }
}
