import ArgumentParser
import CareServer

/// The flags of the background jobs: notification webhooks and the review queue.
struct WorkflowOptions: ParsableArguments {
    @Option(
        name: .customLong("safeguarding-webhook"),
        help: """
            Webhook URL for notifications about abuse reports; repeat for several. \
            (env: CARESYNC_SAFEGUARDING_WEBHOOKS, comma-separated)
            """)
    var safeguardingWebhooks: [String] = []
    @Option(
        name: .customLong("coordinator-webhook"),
        help: """
            Webhook URL for notifications about visits (overdue, alerts); repeat for several. \
            (env: CARESYNC_COORDINATOR_WEBHOOKS, comma-separated)
            """)
    var coordinatorWebhooks: [String] = []
    @Option(help: "HMAC-SHA256 key of the webhook signature; required with any webhook. (env: CARESYNC_WEBHOOK_SECRET)")
    var webhookSecret: String?
    @Option(help: "Seconds before the first retry of a failed delivery, doubled each time. (env: CARESYNC_WEBHOOK_RETRY_BASE, default 30)")
    var webhookRetryBase: Int64?
    @Option(help: "Longest wait between delivery attempts, in seconds. (env: CARESYNC_WEBHOOK_RETRY_MAX, default 3600)")
    var webhookRetryMax: Int64?
    @Option(help: "Failed attempts after which a delivery is listed as failing. (env: CARESYNC_WEBHOOK_FAILING_AFTER, default 5)")
    var webhookFailingAfter: Int?
    @Option(help: "Seconds one delivery attempt may take. (env: CARESYNC_WEBHOOK_TIMEOUT, default 10)")
    var webhookTimeout: Int64?
    @Option(
        help: "Seconds between runs of the background jobs and memory trims. (env: CARESYNC_JOB_INTERVAL, default 5)")
    var jobInterval: Int64?
    @Option(
        help: """
            Operations stored after which the log followers run before their interval, reading them from memory; \
            0 waits for the interval. (env: CARESYNC_JOB_WAKE_OPERATIONS, default 1000)
            """)
    var jobWakeOperations: Int?
    @Option(help: "Device clock skew, in seconds, that puts an operation in the review queue. (env: CARESYNC_CLOCK_SKEW_LIMIT, default 300)")
    var clockSkewLimit: Int64?

    func apply(to settings: inout ServerConfiguration, environment: Environment) throws {
        func list(_ flags: [String], _ name: String) -> [String] {
            flags.isEmpty
                ? (environment.string(name) ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                    .filter { !$0.isEmpty }
                : flags
        }
        func seconds(_ flag: Int64?, _ name: String, _ current: Int64) throws -> Int64 {
            let value = try flag ?? environment.integer(name).map(Int64.init) ?? current
            guard value >= 1 else { throw ValidationError("\(name) must be at least 1") }
            return value
        }
        var webhooks = settings.webhooks
        webhooks.safeguarding = list(safeguardingWebhooks, "CARESYNC_SAFEGUARDING_WEBHOOKS")
        webhooks.coordinators = list(coordinatorWebhooks, "CARESYNC_COORDINATOR_WEBHOOKS")
        webhooks.secret = webhookSecret ?? environment.string("CARESYNC_WEBHOOK_SECRET")
        webhooks.retryBaseSeconds = try seconds(webhookRetryBase, "CARESYNC_WEBHOOK_RETRY_BASE", webhooks.retryBaseSeconds)
        webhooks.retryMaximumSeconds = try seconds(webhookRetryMax, "CARESYNC_WEBHOOK_RETRY_MAX", webhooks.retryMaximumSeconds)
        webhooks.failingAfterAttempts = Int(
            try seconds(webhookFailingAfter.map(Int64.init), "CARESYNC_WEBHOOK_FAILING_AFTER", Int64(webhooks.failingAfterAttempts)))
        webhooks.timeoutSeconds = try seconds(webhookTimeout, "CARESYNC_WEBHOOK_TIMEOUT", webhooks.timeoutSeconds)
        settings.webhooks = webhooks
        settings.jobIntervalSeconds = try seconds(jobInterval, "CARESYNC_JOB_INTERVAL", settings.jobIntervalSeconds)
        settings.jobWakeOperations =
            try jobWakeOperations ?? environment.integer("CARESYNC_JOB_WAKE_OPERATIONS") ?? settings.jobWakeOperations
        guard settings.jobWakeOperations >= 0 else {
            throw ValidationError("CARESYNC_JOB_WAKE_OPERATIONS must be 0 or more")
        }
        settings.clockSkewLimitSeconds = try seconds(clockSkewLimit, "CARESYNC_CLOCK_SKEW_LIMIT", settings.clockSkewLimitSeconds)
        do {
            try settings.webhooks.validate()
        } catch let error as ServerError {
            throw ValidationError(error.message)
        }
    }
}
