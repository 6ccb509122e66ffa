import EmbedCore
import EmbedEngine
import EmbedTestSupport
import Foundation
import Testing

/// Reading operator types and external-data files straight from the ONNX protobuf.
struct ONNXGraphScanTests {
    @Test func listsTheOperatorsOfTheTinyGraph() throws {
        let scan = try ONNXGraphScan(contentsOf: TestPaths.fixture("onnx/tiny_bert.onnx"))
        #expect(scan.operatorTypes == ["Gather", "Cast", "Unsqueeze", "Mul", "Add"])
        #expect(scan.externalDataFiles.isEmpty)
        #expect(scan.quantizedOperators.isEmpty)
    }

    @Test func findsExternalData() throws {
        let scan = try ONNXGraphScan(contentsOf: TestPaths.fixture("onnx/tiny_external.onnx"))
        #expect(scan.externalDataFiles == ["tiny_external.onnx_data"])
        #expect(scan.operatorTypes.contains("Gather"))
    }

    @Test func truncatedFileIsAnError() throws {
        let bytes = try Data(contentsOf: TestPaths.fixture("onnx/tiny_bert.onnx"))
        #expect(throws: EmbedCoreError.self) { try ONNXGraphScan(bytes: bytes.prefix(bytes.count - 7)) }
        #expect(throws: EmbedError.self) { try ONNXGraphScan(contentsOf: TestPaths.fixture("onnx/nope.onnx")) }
    }
}
