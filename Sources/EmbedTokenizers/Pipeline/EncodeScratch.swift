/// Memory reused across the pieces of one encoding call: the hot path allocates per text,
/// never per word or token. Each call owns its own; nothing here is shared.
struct EncodeScratch {
    var regex = RegexScratch()
    var splits: [Split] = []
    var pieces: [Range<Int>] = []
    var bpe = BPEScratch()
    var unigram = UnigramScratch()

    init() {}
}
