import Foundation
import EmbedCore

/// How close two sets of vectors are, text by text.
struct CosineSummary {
    /// The cosine of each pair.
    var cosines: [Float]

    init(_ actual: [[Float]], _ expected: [[Float]]) throws {
        guard actual.count == expected.count, !actual.isEmpty else {
            throw CLIError("cannot compare \(actual.count) vectors with \(expected.count)")
        }
        cosines = try zip(actual, expected).map { try VectorMath.cosine($0, $1) }
    }

    var mean: Float { cosines.reduce(0, +) / Float(cosines.count) }

    /// The lowest cosine and the index of its text.
    var minimum: (value: Float, index: Int) {
        let worst = cosines.enumerated().min { $0.element < $1.element }
        return (worst?.element ?? 1, worst?.offset ?? 0)
    }

    /// e.g. `mean cosine 0.999993, minimum 0.999961 (text 17: "…")`.
    func describe(texts: [String]) -> String {
        let worst = minimum
        let text = texts.indices.contains(worst.index) ? texts[worst.index] : ""
        return "mean cosine \(Self.format(mean)), minimum \(Self.format(worst.value)) (text \(worst.index + 1): "
            + "\(String(text.prefix(48)).debugDescription))"
    }

    static func format(_ value: Float) -> String {
        String(format: "%.6f", Double(value))
    }
}
