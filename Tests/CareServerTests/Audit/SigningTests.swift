import CareModel
import CareServer
import Foundation
import Hummingbird
import Testing

/// Every push is signed by the device's enrolled key over its chain head; the
/// server checks before it stores anything.
@Suite("Push signatures")
struct SigningTests {
    @Test("a signed push is stored with its signature", arguments: TestBackend.all)
    func signedPushKeepsSignature(backend: TestBackend) async throws {
        try await TestServer.run(backend) { server in
            var office = try await server.enrol("coord-1", roles: [.coordinator], teams: ["north"])
            let first = try office.createVisit(team: "north", assigned: []).operation
            let second = try office.createVisit(team: "north", assigned: []).operation
            try await server.push(office, [first, second])
            let signatures = try await server.storage.chainSignatures()
            #expect(signatures.map(\.counter) == [2])
            #expect(signatures.first?.head == second.hash)
            #expect(
                signatures.first?.chainHeadSignature.isValid(
                    replica: office.enrolment.replica, head: second.hash, publicKey: TestServer.publicKey) == true)
        }
    }

    @Test("a push signed by another key is refused with bad_signature and nothing is stored", arguments: TestBackend.all)
    func badSignature(backend: TestBackend) async throws {
        try await TestServer.run(backend) { server in
            var office = try await server.enrol("coord-1", roles: [.coordinator], teams: ["north"])
            let operation = try office.createVisit(team: "north", assigned: []).operation
            let stranger = try ChainHeadSigner(rawRepresentation: [UInt8](repeating: 9, count: 32))
            let forged = office.pushRequest([operation], head: false)
            var request = forged
            request.head = operation.hash
            request = request.signed(by: stranger)
            try await Self.expectRefused(server, office, request, status: .forbidden, code: "bad_signature")

            // A valid signature over another counter than the last operation's.
            var wrongCounter = office.pushRequest([operation])
            wrongCounter.signature?.counter = 2
            try await Self.expectRefused(server, office, wrongCounter, status: .forbidden, code: "bad_signature")

            // A valid signature over another head.
            var otherHead = office.pushRequest([operation])
            otherHead.head = OperationHash.genesis
            try await Self.expectRefused(server, office, otherHead, status: .forbidden, code: "bad_signature")
        }
    }

    @Test("a push without head or signature is refused with missing_signature and nothing is stored", arguments: TestBackend.all)
    func missingSignature(backend: TestBackend) async throws {
        try await TestServer.run(backend) { server in
            var office = try await server.enrol("coord-1", roles: [.coordinator], teams: ["north"])
            let operation = try office.createVisit(team: "north", assigned: []).operation
            try await Self.expectRefused(
                server, office, office.pushRequest([operation], head: false), status: .badRequest, code: "missing_signature")
            var unsigned = office.pushRequest([operation])
            unsigned.signature = nil
            try await Self.expectRefused(server, office, unsigned, status: .badRequest, code: "missing_signature")
        }
    }

    private static func expectRefused(
        _ server: TestServer, _ device: TestDevice, _ request: PushRequest, status: HTTPResponse.Status, code: String
    ) async throws {
        let result = try await server.request(.post, "/v1/push", token: device.token, json: request)
        #expect(result.status == status)
        #expect(result.errorCode == code)
        #expect(try await server.counts().operations == 0)
        #expect(try await server.storage.chainSignatures().isEmpty)
    }
}
