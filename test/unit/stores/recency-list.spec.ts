import { RecencyList, type RecencyLinks } from '../../../src/stores/recency-list';

interface Node extends RecencyLinks<Node> {
  name: string;
}
const node = (name: string): Node => ({ name, older: undefined, newer: undefined, stamp: 0 });

function namesOf(list: RecencyList<Node>): string[] {
  const names: string[] = [];
  list.beginWalk();
  list.walk(Infinity, (n) => names.push(n.name));
  return names;
}

describe('RecencyList', () => {
  describe('when nodes are appended, moved and removed', () => {
    it('should keep them oldest first, a moved node becoming the newest', () => {
      const list = new RecencyList<Node>();
      const [a, b, c] = [node('a'), node('b'), node('c')];
      [a, b, c].forEach((n) => list.append(n));
      list.moveToNewest(a);
      list.remove(b);
      expect(namesOf(list)).toEqual(['c', 'a']);
      expect(list.oldest).toBe(c);
    });
  });

  describe('when a walk runs in slices', () => {
    it('should resume where the last slice stopped and finish', () => {
      const list = new RecencyList<Node>();
      const nodes = ['a', 'b', 'c', 'd', 'e'].map(node);
      nodes.forEach((n) => list.append(n));
      const seen: string[] = [];
      list.beginWalk();
      expect(list.walk(2, (n) => seen.push(n.name))).toBe(false);
      expect(list.walk(2, (n) => seen.push(n.name))).toBe(false);
      expect(list.walk(2, (n) => seen.push(n.name))).toBe(true);
      expect(seen).toEqual(['a', 'b', 'c', 'd', 'e']);
    });

    it('should step over a node removed between slices and skip nodes that joined after it began', () => {
      const list = new RecencyList<Node>();
      const [a, b, c, d] = ['a', 'b', 'c', 'd'].map(node) as [Node, Node, Node, Node];
      [a, b, c, d].forEach((n) => list.append(n));
      const seen: string[] = [];
      list.beginWalk();
      list.walk(1, (n) => seen.push(n.name));
      list.remove(b); // the node the walk resumes from
      list.moveToNewest(c); // moved after the walk began
      list.append(node('e')); // joined after the walk began
      expect(list.walk(10, (n) => seen.push(n.name))).toBe(true);
      expect(seen).toEqual(['a', 'd']);
    });

    it('should let the visitor remove the node it is given', () => {
      const list = new RecencyList<Node>();
      ['a', 'b', 'c'].map(node).forEach((n) => list.append(n));
      list.beginWalk();
      list.walk(Infinity, (n) => n.name !== 'b' && list.remove(n));
      expect(namesOf(list)).toEqual(['b']);
    });
  });
});
