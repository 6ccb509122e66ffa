import EmbedServer
import Foundation

extension Settings {
    /// `embed serve`: how `{"text", "image"}` pairs of `/v1/embeddings` are fused when a
    /// request's `fusion` does not say, and the learned projection of every fused vector.
    struct FusionDefault: Equatable {
        /// `nil`: no default (a pair needs the request's `fusion`).
        var mode: ServerFusion.Mode?
        /// The text's share with `mean`, in [0, 1].
        var weight = Double(ServerFusion().weight)
        /// A `.safetensors` projection (`weight` `[out, in]`, optional `bias`).
        var projection: String?
    }

    /// The server's fusion setting (the projection's shape is checked when the model is loaded).
    func serverFusion() -> ServerFusion {
        ServerFusion(mode: fusion.mode, weight: Float(fusion.weight), projection: fusion.projection.map { URL(fileURLWithPath: $0) })
    }
}

extension SettingKey {
    /// `embed serve`'s fusion of text and image pairs.
    static var fusionKeys: [SettingKey] {
        [
            optionalChoice("server.fusion", \.fusion.mode, ServerFusion.Mode.allCases, name: \.rawValue, help: "embed serve: how /v1/embeddings fuses a {\"text\", \"image\"} item when the request's fusion does not say: mean (weight × text + (1 − weight) × image) or concat (twice the dimension), each vector normalised before and after; null: no default, such an item needs the request's fusion (else 400)."),
            SettingKey(name: "server.fusion_weight", type: "number from 0 to 1", help: "embed serve: the text's share in server.fusion mean when the request's fusion gives no weight.", isList: false) {
                (settings, value) throws(SettingsError) in
                let text = try scalar(value)
                guard let number = Double(text), (0...1).contains(number) else {
                    throw SettingsError("expected a number from 0 to 1, got '\(text)'")
                }
                settings.fusion.weight = number
            } render: { .scalar(String($0.fusion.weight)) },
            optionalString("server.fusion_projection", \.fusion.projection, help: "embed serve: a .safetensors linear projection every fused vector goes through (tensor weight [out, in] as PyTorch's nn.Linear stores it, optional bias [out]; in = the model's dimension for mean, twice it for concat); needs server.fusion, and requests may not ask for the other mode. Checked against the model when it is loaded: a wrong shape stops the server."),
        ]
    }
}
