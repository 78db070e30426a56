public import ExampleServiceProto
import Foundation
public import GRPCCore
public import SNETTraining
public import SpeechCommands

/// The guide's `service.ExampleService`, made real: `stt` recognizes a spoken command with the model
/// the request names (or the default one), `basic_stt` always with the default model. Handlers take
/// the whole request so `stt` can pass the caller's metadata to the model-access check.
public struct ExampleServiceHandler: Service_ExampleService.ServiceProtocol {
    private let stt: InferenceEndpoint<SpeechTrainer>
    private let defaultModel: SpeechCommandModel
    private let limits: SpeechLimits

    public init(stt: InferenceEndpoint<SpeechTrainer>, defaultModel: SpeechCommandModel, limits: SpeechLimits = .defaults) {
        self.stt = stt
        self.defaultModel = defaultModel
        self.limits = limits
    }

    /// Recognition with the model the request names, under `stt`'s inference bounds (see
    /// ``InferenceEndpoint/infer(modelID:metadata:_:)``).
    /// Who may use the model is checked before the clip, so that a caller without access learns
    /// that first (and `snet-train create` can find out whether a model is usable by anyone).
    public func stt(request: ServerRequest<Service_sttInput>, context: ServerContext) async throws -> ServerResponse<Service_sttResp> {
        let speech = request.message.speech
        let limits = self.limits
        let response = try await stt.infer(modelID: request.message.modelID.modelID, metadata: request.metadata) { model in
            try Self.checkClip(speech, limits: limits)
            return try Self.recognize(speech, with: model)
        }
        return ServerResponse(message: response)
    }

    /// Recognition with the default model, under the same bounds as `stt` (it shares its slots).
    public func basic_stt(request: ServerRequest<Service_basicSttInput>, context: ServerContext) async throws -> ServerResponse<Service_sttResp> {
        let speech = request.message.speech
        try Self.checkClip(speech, limits: limits)
        let response = try await stt.infer(modelID: "", metadata: request.metadata) { model in
            try Self.recognize(speech, with: model)
        }
        return ServerResponse(message: response)
    }

    /// Refuses an empty clip, or one longer than ``SpeechLimits/maxClipSeconds``, from its header.
    private static func checkClip(_ speech: Data, limits: SpeechLimits) throws {
        guard !speech.isEmpty else {
            throw RPCError(code: .invalidArgument, message: "speech is empty. Send a WAV clip (PCM 16-bit, mono or stereo).")
        }
        if let seconds = WAVDuration.seconds(of: speech), seconds > limits.maxClipSeconds {
            throw RPCError(
                code: .invalidArgument,
                message:
                    "speech is \(WAVDuration.describe(seconds)) long; this service recognises clips of at most \(WAVDuration.describe(limits.maxClipSeconds)). Send one short command per call."
            )
        }
    }

    static func recognize(_ speech: Data, with model: SpeechCommandModel) throws -> Service_sttResp {
        do {
            var response = Service_sttResp()
            // Empty when the clip is silence or not one of the trained words.
            response.result = try model.recognize(wav: speech).acceptedWord ?? ""
            return response
        } catch let error as WAVDecodingError {
            throw RPCError(code: .invalidArgument, message: "speech is not a usable WAV clip: \(error). Send PCM 16-bit WAV.")
        }
    }
}
