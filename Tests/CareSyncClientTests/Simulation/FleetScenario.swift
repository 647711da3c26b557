import CareModel
import CareStore
import CareSyncClient
import Foundation

/// A seeded working day of a simulated fleet, in rounds. Each round: the
/// coordinators plan and reassign visits; every device is offline with some
/// probability; workers record what happened on the visits they hold
/// (double-handed visits get evidence from both workers), amend their notes
/// (from both phones at once when they carry two), coordinators mark notes
/// entered in error, and offline workers file abuse reports; then the devices
/// that are online sync, one after the other in a seeded order.
///
/// Every decision comes from the seed; a write the device store refuses (e.g.
/// a check-in on a visit just reassigned away) is part of the scenario and
/// simply not counted.
struct FleetScenario {
    let fleet: SimulatedFleet
    var random: SplitMix64
    var ledger = TypedTextLedger()
    /// How often the scenario did each of the things it is meant to exercise.
    private(set) var tally = Tally()

    struct Tally: Sendable, CustomStringConvertible {
        var plannedDoubleHanded = 0
        var reassignments = 0
        var amendedOnTwoPhones = 0
        var markedEnteredInError = 0
        var offlineReports = 0
        var refusedLocally = 0

        var description: String {
            "\(plannedDoubleHanded) double-handed visits, \(reassignments) reassignments, \(amendedOnTwoPhones) notes amended on two phones at once, \(markedEnteredInError) entered-in-error marks, \(offlineReports) reports filed offline, \(refusedLocally) writes refused by a device"
        }
    }
    /// Visits planned per team, in order.
    private var visits: [String: [RecordID]] = [:]
    private var round = 0

    static let offlineRate = 0.3

    init(fleet: SimulatedFleet, seed: UInt64) {
        self.fleet = fleet
        self.random = SplitMix64(seed: seed)
    }

    mutating func runRound() async throws {
        round += 1
        try await planAndReassign()
        let offline = Set(fleet.devices.indices.filter { _ in chance(Self.offlineRate) })
        for (index, member) in fleet.members.enumerated() where member.role == .careWorker {
            try await recordVisits(member.device, team: member.team ?? "")
            if offline.contains(index), chance(0.25) {
                try await fileAbuseReport(member.device)
                tally.offlineReports += 1
            }
        }
        try await editNotesConcurrently()
        // One device at a time, in a seeded order: what each pulls, and so
        // what its people can do next round, follows from the seed alone.
        let online = fleet.devices.enumerated().filter { !offline.contains($0.offset) }.map(\.element)
        for device in online.shuffled(using: &random) { await device.engine.sync() }
    }

    /// Once everything has synced (every phone holds every note it may see):
    /// concurrent edits of one note on both phones and in the office, so the
    /// run has them whatever the seed did before. Sync afterwards.
    mutating func editNotesAfterSettling() async throws {
        round += 1
        try await editNotesConcurrently(officeRate: 1)
    }

    // MARK: - The office

    private mutating func planAndReassign() async throws {
        for coordinator in fleet.coordinators {
            guard let team = coordinator.team else { continue }
            let workers = (1...SimulatedFleet.workersPerTeam).map { WorkerID("\(team)-w\($0)")! }
            for index in 0..<3 {
                var assigned = pick(chance(0.4) ? 2 : 1, of: workers)
                // Each round's first visit goes to the worker with two phones (and maybe a partner).
                if index == 0 { assigned = [workers[0]] + assigned.filter { $0 != workers[0] }.prefix(1) }
                if assigned.count == 2 { tally.plannedDoubleHanded += 1 }
                let start = 1_767_258_000_000 + Int64(round) * 3_600_000
                let receipt = try await coordinator.device.store.planVisit(
                    resident: "resident-\(team)-\(draw(5))", assignedWorkers: assigned, scheduledStart: start,
                    scheduledEnd: start + 1_800_000)
                visits[team, default: []].append(receipt.record.id)
            }
            if let planned = visits[team], chance(0.5) {
                let visit = planned[draw(planned.count)]
                let moved = pick(1, of: workers)
                if try await count({ try await coordinator.device.store.reassignVisit(visit, to: moved) }) != nil {
                    tally.reassignments += 1
                }
            }
        }
    }

    // MARK: - At the door

    /// Records on up to three of the worker's visits: check-in, a note, then
    /// a check-out, a missed call or an amendment.
    private mutating func recordVisits(_ device: ClientDevice, team: String) async throws {
        // In planning order, not the store's (ids are random; the choices must follow the seed alone).
        let held = Set(try await device.store.visits(scheduledFrom: 0, to: .max).map(\.id))
        for visit in (visits[team] ?? []).filter(held.contains).shuffledPrefix(3, using: &random) {
            if chance(0.15) {
                let details = "No answer at the door, round \(round), \(device.worker) #\(random.next() % 10_000)"
                if let receipt = try await count({
                    try await device.store.logMissedCall(visit: visit, reason: MissedCall.reasons[0], details: details)
                }) {
                    ledger.missedCalls[receipt.record.id] = (visit, details)
                }
                continue
            }
            try await count { try await device.store.checkIn(visit: visit, AttendanceEvidence(method: .manual)) }
            let text = "Visit \(visit) round \(round): \(device.worker) notes #\(random.next() % 100_000)"
            if let note = try await count({ try await device.store.addNote(visit: visit, text: text) }) {
                ledger.addNote(note.record.id, text: text, team: team)
            }
            if chance(0.6) {
                try await count { try await device.store.checkOut(visit: visit, AttendanceEvidence(method: .manual)) }
            }
        }
    }

    /// Workers with two phones amend one of their notes on both at once;
    /// coordinators mark a note of their team entered in error (that same note
    /// when they hold it: three concurrent edits of one note).
    private mutating func editNotesConcurrently(officeRate: Double = 0.7) async throws {
        var amendedNow: Set<RecordID> = []
        for worker in SimulatedFleet.secondPhones {
            let phones = fleet.careWorkers.filter { $0.device.worker.rawValue == worker }.map(\.device)
            var shared: [RecordID] = []
            for id in ledger.noteOrder {
                var onEveryPhone = true
                for phone in phones where try await phone.store.note(id)?.author.rawValue != worker {
                    onEveryPhone = false
                }
                if onEveryPhone { shared.append(id) }
            }
            guard !shared.isEmpty else { continue }
            let note = shared[draw(shared.count)]
            for (index, phone) in phones.enumerated() {
                let text = "Amended on phone \(index + 1) in round \(round) #\(random.next() % 100_000)"
                try await phone.store.amendNote(note, text: text)
                ledger.amendments[note, default: []].append(text)
            }
            tally.amendedOnTwoPhones += 1
            amendedNow.insert(note)
        }
        for coordinator in fleet.coordinators where chance(officeRate) {
            // A note of the team the office already holds; the one just amended on two phones if it can.
            var held: [RecordID] = []
            for note in ledger.noteOrder where ledger.notes[note]?.team == coordinator.team {
                if try await coordinator.device.store.note(note) != nil { held.append(note) }
            }
            guard let note = held.first(where: amendedNow.contains) ?? (held.isEmpty ? nil : held[draw(held.count)])
            else { continue }
            let reason = "Written on the wrong visit (office, round \(round))"
            try await coordinator.device.store.markNoteEnteredInError(note, reason: reason)
            tally.markedEnteredInError += 1
        }
    }

    private mutating func fileAbuseReport(_ device: ClientDevice) async throws {
        let statement = "Shouted at and pushed at the door, round \(round), \(device.worker) #\(random.next() % 100_000)"
        let receipt = try await device.store.fileAbuseReport(
            AbuseReportDraft(
                incidentKind: "physical", occurredAt: 1_767_258_000_000, involved: [.init(relationship: "family_member")],
                statement: statement, severity: 3))
        ledger.reports[receipt.record.id] = statement
        let supplement = "Supplement: a neighbour saw it (\(device.worker))"
        try await device.store.addSupplement(report: receipt.record.id, text: supplement)
        ledger.supplements[receipt.record.id] = [supplement]
    }

    /// Runs a store write; a refusal by the device store (the access rules as
    /// the device sees them, e.g. a visit reassigned away or not pulled yet)
    /// is counted and gives nil. Any other error fails the scenario.
    @discardableResult
    private mutating func count<Value>(_ write: () async throws -> Value) async throws -> Value? {
        do {
            return try await write()
        } catch let error as CareStoreError where Self.expectedRefusals.contains(error.code) {
            tally.refusedLocally += 1
            return nil
        }
    }

    private static let expectedRefusals: Set<CareStoreError.Code> = [.recordNotFound, CareStoreError.Code(rawValue: "access_denied")]

    // MARK: - Seeded choices

    private mutating func chance(_ probability: Double) -> Bool {
        Double(random.next() >> 11) * 0x1p-53 < probability
    }

    private mutating func draw(_ count: Int) -> Int {
        Int(random.next() % UInt64(count))
    }

    private mutating func pick(_ count: Int, of workers: [WorkerID]) -> [WorkerID] {
        workers.shuffledPrefix(count, using: &random)
    }
}

extension Array {
    /// The first `count` elements of a seeded shuffle.
    fileprivate func shuffledPrefix(_ count: Int, using random: inout SplitMix64) -> [Element] {
        Array(shuffled(using: &random).prefix(count))
    }
}
