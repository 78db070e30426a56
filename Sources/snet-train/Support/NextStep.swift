import GRPCCore
import TrainingClient
import TrainingCore

/// A command about one model, so that a refusal can be followed by the `snet-train` command that
/// fits the model's state. The server's messages say what is wrong without naming any client's
/// commands; this is where the CLI names its own.
struct ModelCommand: Sendable {
    enum Kind: Sendable {
        case upload, validate, train, price, call, delete
    }

    var kind: Kind
    var modelID: String
    /// `call`'s method, so that advice to create a model can name it.
    var method: String?
}

enum NextStep {
    /// The next step after the server refused `command` with `code`; asks the server for the model's
    /// status when the refusal depends on it. Nil when there is nothing useful to add.
    static func advice(after code: RPCError.Code, to command: ModelCommand, options: GlobalOptions) async -> String? {
        guard code == .failedPrecondition || code == .notFound else { return nil }
        // The status call is free and not access-checked (the daemon's polls carry no caller), so it
        // tells apart "no such model" from "not yours to use".
        let status: ModelStatus? = try? await withConnection(options) { client in
            try await ModelClient(wrapping: client).status(modelID: command.modelID).status
        }
        return advice(after: code, to: command, status: status)
    }

    /// The advice for a model whose status is `status` (nil: the server does not know the id).
    static func advice(after code: RPCError.Code, to command: ModelCommand, status: ModelStatus?) -> String? {
        let id = command.modelID
        let create = "snet-train create --method \(command.method ?? "SERVICE/METHOD") --name NAME --caller ADDRESS"
        guard let status else {
            return code == .notFound ? "check the model id, or create a model: \(create)" : nil
        }
        if code == .notFound, command.kind == .call, status != .deleted {
            return
                "model \(id) exists (\(status.rawValue)) but the server does not let this caller use it: "
                + "pass --caller with an address in the model's address list (as the daemon sends the payer's address), "
                + "or create the model with --caller ADDRESS or --public"
        }
        switch status {
        case .created:
            return "upload a dataset: snet-train upload \(id) FILE"
        case .validating:
            return "wait for validation to end: snet-train watch \(id) --until VALIDATED"
        case .validated:
            return command.kind == .call ? "train it, then wait: snet-train train \(id) && snet-train watch \(id)" : nil
        case .training:
            return "wait for training to end: snet-train watch \(id) (exits 0 at READY_TO_USE)"
        case .readyToUse:
            return nil
        case .errored:
            return "see why with snet-train status \(id), then upload a corrected dataset: snet-train upload \(id) FILE"
        case .deleted:
            return "the model is deleted; create a new one: \(create)"
        }
    }
}
