import CareModel
import CareServer
import Foundation
import Testing

/// `caresync device receipt` and `caresync audit receipt` end to end: the built
/// executable against a real server.
@Suite("caresync receipt commands", .serialized)
struct ReceiptCommandTests {
    @Test("a device exports a record's receipt; audit receipt verifies it offline and refuses tampered copies")
    func exportAndVerify() async throws {
        let cli = try CareSyncCommandLine.built()
        try await TestDirectory.with { directory in
            try await ClientTestServer.run(databasePath: directory.path("server.sqlite")) { server in
                try await server.createWorker("worker-a", roles: [.careWorker], teams: ["north"])
                let phone = ["--store", directory.path("phone.sqlite")]
                let code = try await server.enrolmentCode(for: "worker-a")
                _ = try await DeviceCommandTests.succeed(
                    cli, ["device", "enrol", "--server", server.baseURL.absoluteString, "--code", code] + phone)
                let filed = try await DeviceCommandTests.succeed(
                    cli, ["device", "report-abuse", "--kind", "verbal", "--statement", "Shouted at me."] + phone)
                let report = try DeviceCommandTests.word(after: "abuse report ", in: filed)
                let early = try await cli.run(["device", "receipt", report] + phone)
                #expect(early.status == 1)
                #expect(early.errors.contains("no_receipt"))
                _ = try await DeviceCommandTests.succeed(cli, ["device", "sync"] + phone)

                let status = try await DeviceCommandTests.succeed(cli, ["device", "status"] + phone)
                #expect(status.contains("abuse_report \(report)  acknowledged  received by the office "))

                let file = directory.path("receipt.json")
                _ = try await DeviceCommandTests.succeed(cli, ["device", "receipt", report, "--output", file] + phone)
                let keyFile = directory.path("server.key")
                _ = FileManager.default.createFile(atPath: keyFile, contents: Data(server.serverKey.utf8))
                let valid = try await DeviceCommandTests.succeed(
                    cli, ["audit", "receipt", file, "--server-key", server.serverKey])
                #expect(valid.contains("valid: operation 1"))
                let json = try await DeviceCommandTests.succeed(
                    cli, ["audit", "receipt", file, "--server-key", "@" + keyFile, "--json"])
                #expect(json.contains("\"valid\" : true"))
                #expect(try await DeviceCommandTests.succeed(cli, ["device", "receipt", "1"] + phone)
                    == (try await DeviceCommandTests.succeed(cli, ["device", "receipt", report] + phone)))

                let receipt = try JSONDecoder().decode(OperationReceipt.self, from: Data(contentsOf: URL(fileURLWithPath: file)))
                var tampered: [(String, OperationReceipt, String)] = []
                var changed = receipt
                changed.entry.sequence += 1
                tampered.append(("sequence", changed, "receipt_proof_mismatch"))
                changed = receipt
                changed.entry.receivedAt -= 3_600_000
                tampered.append(("time", changed, "receipt_proof_mismatch"))
                changed = receipt
                changed.signature = Data(repeating: 0, count: 64).base64EncodedString()
                tampered.append(("signature", changed, "receipt_signature_invalid"))
                for (what, copy, code) in tampered {
                    let path = directory.path("tampered-\(what).json")
                    try JSONEncoder().encode(copy).write(to: URL(fileURLWithPath: path))
                    let outcome = try await cli.run(["audit", "receipt", path, "--server-key", server.serverKey])
                    #expect(outcome.status == 1, "\(what)")
                    #expect(outcome.output.contains("INVALID: \(code)"), "\(what): \(outcome.output)")
                    let asJSON = try await cli.run(["audit", "receipt", path, "--server-key", server.serverKey, "--json"])
                    #expect(asJSON.status == 1)
                    #expect(asJSON.output.contains("\"code\" : \"\(code)\""), "\(what)")
                }
                let wrongKey = try await cli.run(
                    ["audit", "receipt", file, "--server-key", ChainHeadSigner().publicKeyBase64])
                #expect(wrongKey.status == 1)
                #expect(wrongKey.output.contains("receipt_signature_invalid"))
                let badKey = try await cli.run(["audit", "receipt", file, "--server-key", "nope"])
                #expect(badKey.output.contains("invalid_server_key"))
            }
        }
    }
}
