extension Truncation {
    /// The number of tokens left for the sequences once `added` special tokens are counted;
    /// `nil` when there is no limit. As in `tokenizers`, a maximum smaller than the number
    /// of special tokens is no limit at all (the library's subtraction wraps around), and
    /// one equal to it cuts the sequences to nothing.
    func budget(added: Int) -> Int? {
        maxLength >= added ? maxLength - added : nil
    }

    /// Cuts a single sequence (every strategy cuts it; Python raises for `OnlySecond`, see
    /// `needsSecondSequence`).
    func apply(single: inout SequenceEncoding, added: Int) {
        guard let budget = budget(added: added), single.count > budget else { return }
        single.truncate(to: budget, direction: direction)
    }

    /// Whether cutting `single` would need a second sequence (`OnlySecond` with one sequence
    /// too long), which `tokenizers` reports as an error.
    func needsSecondSequence(_ single: SequenceEncoding, added: Int) -> Bool {
        guard strategy == .onlySecond, let budget = budget(added: added) else { return false }
        return budget > 0 && single.count > budget
    }

    /// Cuts a pair of sequences as `truncate_encodings` in `tokenizers` does.
    func apply(_ first: inout SequenceEncoding, _ second: inout SequenceEncoding, added: Int) throws(TokenizerError) {
        guard let budget = budget(added: added) else { return }
        if budget == 0 {
            first.truncate(to: 0, direction: direction)
            second.truncate(to: 0, direction: direction)
            return
        }
        let total = first.count + second.count
        guard total > budget else { return }
        let excess = total - budget
        switch strategy {
        case .longestFirst:
            var shorter = first.count
            var longer = second.count
            let swapped = shorter > longer
            if swapped { swap(&shorter, &longer) }
            longer = shorter > budget ? shorter : max(shorter, budget - shorter)
            if shorter + longer > budget {
                shorter = budget / 2
                longer = shorter + budget % 2
            }
            if swapped { swap(&shorter, &longer) }
            first.truncate(to: shorter, direction: direction)
            second.truncate(to: longer, direction: direction)
        case .onlyFirst, .onlySecond:
            let cutsFirst = strategy == .onlyFirst
            let length = cutsFirst ? first.count : second.count
            guard length > excess else {
                throw TokenizerError(
                    .invalidArgument,
                    "truncation \(strategy.rawValue): the \(cutsFirst ? "first" : "second") sequence has \(length) tokens, "
                        + "too few to remove the \(excess) needed to fit \(maxLength) tokens")
            }
            if cutsFirst {
                first.truncate(to: length - excess, direction: direction)
            } else {
                second.truncate(to: length - excess, direction: direction)
            }
        }
    }
}
