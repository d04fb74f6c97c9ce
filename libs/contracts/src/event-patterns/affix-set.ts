interface TrieNode {
  /** An affix ends here. */
  end: boolean;
  readonly next: Map<number, TrieNode>;
}

/**
 * Up to this many affixes are tested one by one (startsWith is a memcmp); a value then costs at
 * most this many times its length. Beyond, a trie answers for all of them in one walk.
 */
const TESTED_ONE_BY_ONE = 8;

/**
 * The `prefix` (or `suffix`) alternatives of a leaf. Either way a value costs time proportional
 * to its length (never to the total length of the affixes times the values of the event): a few
 * affixes are tested in turn, many go into a trie of UTF-16 code units walked at most
 * min(value length, longest affix) steps.
 */
export class AffixSet {
  private readonly few?: readonly string[];
  private readonly root?: TrieNode;

  constructor(
    affixes: readonly string[],
    private readonly from: 'start' | 'end',
  ) {
    if (affixes.length <= TESTED_ONE_BY_ONE) {
      this.few = affixes;
      return;
    }
    this.root = { end: false, next: new Map() };
    for (const affix of affixes) {
      let node = this.root;
      for (let step = 0; step < affix.length; step++) {
        const unit = affix.charCodeAt(from === 'start' ? step : affix.length - 1 - step);
        let next = node.next.get(unit);
        if (!next) {
          next = { end: false, next: new Map() };
          node.next.set(unit, next);
        }
        node = next;
      }
      node.end = true;
    }
  }

  /** Whether `value` starts (or ends) with one of the affixes. */
  matches(value: string): boolean {
    if (this.few) {
      for (const affix of this.few) {
        if (this.from === 'start' ? value.startsWith(affix) : value.endsWith(affix)) return true;
      }
      return false;
    }
    let node: TrieNode | undefined = this.root;
    for (let step = 0; node; step++) {
      if (node.end) return true;
      if (step === value.length) return false;
      node = node.next.get(value.charCodeAt(this.from === 'start' ? step : value.length - 1 - step));
    }
    return false;
  }
}
