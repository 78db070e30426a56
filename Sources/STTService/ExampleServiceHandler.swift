public import ExampleServiceProto
import Foundation
public import GRPCCore
public import SNETTraining
public import SpeechCommands

/// The guide's `service.ExampleService`, made real: `stt` recognizes a spoken command with the model
/// the request names (or the default one), `basic_stt` always with the default model. Handlers take
/// the whole request so `stt` can pass the caller's metadata to the model-access check.
public struct ExampleServiceHandler: Service_ExampleService.ServiceProtocol {
    private let stt: TrainableEndpoint<SpeechTrainer>
    private let defaultModel: SpeechCommandModel

    public init(stt: TrainableEndpoint<SpeechTrainer>, defaultModel: SpeechCommandModel) {
        self.stt = stt
        self.defaultModel = defaultModel
    }

    public func stt(request: ServerRequest<Service_sttInput>, context: ServerContext) async throws -> ServerResponse<Service_sttResp> {
        let model = try await stt.model(for: request.message.modelID.modelID, metadata: request.metadata)
        return ServerResponse(message: try Self.recognize(request.message.speech, with: model))
    }

    public func basic_stt(request: ServerRequest<Service_basicSttInput>, context: ServerContext) async throws -> ServerResponse<Service_sttResp> {
        ServerResponse(message: try Self.recognize(request.message.speech, with: defaultModel))
    }

    static func recognize(_ speech: Data, with model: SpeechCommandModel) throws -> Service_sttResp {
        guard !speech.isEmpty else {
            throw RPCError(code: .invalidArgument, message: "speech is empty. Send a WAV clip (PCM 16-bit, mono or stereo).")
        }
        do {
            var response = Service_sttResp()
            response.result = try model.recognize(wav: speech).word
            return response
        } catch let error as WAVDecodingError {
            throw RPCError(code: .invalidArgument, message: "speech is not a usable WAV clip: \(error). Send PCM 16-bit WAV.")
        }
    }
}
