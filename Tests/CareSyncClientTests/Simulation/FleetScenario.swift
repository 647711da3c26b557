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
/// that are online sync, all at once.
///
/// Every decision comes from the seed; a write the device store refuses (e.g.
/// a check-in on a visit just reassigned away) is part of the scenario and
/// simply not counted.
struct FleetScenario {
    let fleet: SimulatedFleet
    var random: SplitMix64
    var ledger = TypedTextLedger()
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
            if offline.contains(index), chance(0.25) { try await fileAbuseReport(member.device) }
        }
        try await editNotesConcurrently()
        let online = fleet.devices.enumerated().filter { !offline.contains($0.offset) }.map(\.element)
        await withTaskGroup(of: Void.self) { group in
            for device in online { group.addTask { await device.engine.sync() } }
        }
    }

    // MARK: - The office

    private mutating func planAndReassign() async throws {
        for coordinator in fleet.coordinators {
            guard let team = coordinator.team else { continue }
            let workers = (1...SimulatedFleet.workersPerTeam).map { WorkerID("\(team)-w\($0)")! }
            for _ in 0..<2 {
                let assigned = pick(chance(0.4) ? 2 : 1, of: workers)
                let start = 1_767_258_000_000 + Int64(round) * 3_600_000
                let receipt = try await coordinator.device.store.planVisit(
                    resident: "resident-\(team)-\(draw(5))", assignedWorkers: assigned, scheduledStart: start,
                    scheduledEnd: start + 1_800_000)
                visits[team, default: []].append(receipt.record.id)
            }
            if let planned = visits[team], chance(0.5) {
                let visit = planned[draw(planned.count)]
                _ = try? await coordinator.device.store.reassignVisit(visit, to: pick(1, of: workers))
            }
        }
    }

    // MARK: - At the door

    /// Records on up to three of the worker's visits: check-in, a note, then
    /// a check-out, a missed call or an amendment.
    private mutating func recordVisits(_ device: ClientDevice, team: String) async throws {
        let held = try await device.store.visits(scheduledFrom: 0, to: .max)
        for summary in held.shuffledPrefix(3, using: &random) {
            let visit = summary.id
            if chance(0.15) {
                let details = "No answer at the door, round \(round), \(device.worker) #\(random.next() % 10_000)"
                if let receipt = try? await device.store.logMissedCall(
                    visit: visit, reason: MissedCall.reasons[0], details: details)
                {
                    ledger.missedCalls[receipt.record.id] = (visit, details)
                }
                continue
            }
            _ = try? await device.store.checkIn(visit: visit, AttendanceEvidence(method: .manual))
            let text = "Visit \(visit) round \(round): \(device.worker) notes #\(random.next() % 100_000)"
            if let note = try? await device.store.addNote(visit: visit, text: text) {
                ledger.notes[note.record.id] = (text, team)
            }
            if chance(0.6) { _ = try? await device.store.checkOut(visit: visit, AttendanceEvidence(method: .manual)) }
        }
    }

    /// Workers with two phones amend one of their notes on both at once;
    /// each coordinator marks a note of its team entered in error, concurrently
    /// with whatever its author does.
    private mutating func editNotesConcurrently() async throws {
        for worker in SimulatedFleet.secondPhones {
            let phones = fleet.careWorkers.filter { $0.device.worker.rawValue == worker }.map(\.device)
            var shared: [RecordID] = []
            for id in ledger.notes.keys.sorted(by: { $0.description < $1.description }) {
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
                if (try? await phone.store.amendNote(note, text: text)) != nil {
                    ledger.amendments[note, default: []].append(text)
                }
            }
        }
        for coordinator in fleet.coordinators where chance(0.5) {
            let notes = ledger.notes.filter { $0.value.team == coordinator.team }.keys.sorted { $0.description < $1.description }
            guard !notes.isEmpty else { continue }
            _ = try? await coordinator.device.store.markNoteEnteredInError(
                notes[draw(notes.count)], reason: "Written on the wrong visit (office, round \(round))")
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
