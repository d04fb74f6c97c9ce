interface TrieNode {
  /** An affix ends here. */
  end: boolean;
  readonly next: Map<number, TrieNode>;
}

/**
 * The `prefix` (or `suffix`) alternatives of a leaf, as a trie of UTF-16 code units: one walk of a
 * value answers for all of them, in at most min(value length, longest affix) steps, where testing
 * each affix in turn would cost their total length for every value of the event.
 */
export class AffixSet {
  private readonly root: TrieNode = { end: false, next: new Map() };

  constructor(
    affixes: Iterable<string>,
    private readonly from: 'start' | 'end',
  ) {
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
    let node: TrieNode | undefined = this.root;
    for (let step = 0; node; step++) {
      if (node.end) return true;
      if (step === value.length) return false;
      node = node.next.get(value.charCodeAt(this.from === 'start' ? step : value.length - 1 - step));
    }
    return false;
  }
}
