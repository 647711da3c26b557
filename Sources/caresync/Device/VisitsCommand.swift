import ArgumentParser
import CareModel
import CareStore
import Foundation

/// `caresync device visits`: today's visits (or all) on this device.
struct VisitsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "visits", abstract: "List today's visits on this device (--all: every visit).")

    @OptionGroup var options: DeviceOptions
    @Flag(help: "Every visit on the device, not only today's.")
    var all = false

    func run() async throws {
        try await options.withDevice { _, store in
            let visits =
                all
                ? try await store.visits(scheduledFrom: 0, to: .max)
                : try await store.todaysVisits(on: Date(), in: .current)
            if visits.isEmpty { print(all ? "no visits on this device" : "no visits today (try --all, or sync)") }
            for visit in visits {
                print(
                    "\(visit.id)  \(DeviceFormat.time(visit.scheduledStart))  \(visit.resident)  \(visit.status.rawValue)  sync=\(visit.syncState)"
                        + (visit.needsReview ? "  needs review: \(visit.reviewReasons.map(\.rawValue).joined(separator: ","))" : ""))
            }
        }
    }
}
