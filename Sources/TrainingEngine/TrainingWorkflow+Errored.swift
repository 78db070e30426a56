import Foundation
import TrainingCore

// Every call a consumer makes on an ERRORED model, except the upload, is refused with the reason:
// behind the daemon those errors are the only place a consumer reads why (its get_model keeps the
// status alone). The upload stays open as the way back.
extension TrainingWorkflow {
    /// Throws FAILED_PRECONDITION with the reason and the way back when `model` is ERRORED. The
    /// refusal quotes what an upload costs: the validation price call is refused too, and a
    /// consumer whose SDK takes the price as an argument (snet-sdk's `upload_and_validate`) still
    /// needs it. The daemon checks an upload's payment against the validation price it last
    /// quoted, which is this one while the method's pricing is unchanged.
    func refuseIfErrored(_ model: ModelRecord, binding: TrainerBinding, toDo action: String) async throws {
        guard model.status == .errored else { return }
        let request = ValidationPriceRequest(model: model, method: binding.method)
        let uploadPrice = try? await policies[model.method].pricing.validationPrice(request)
        if let refusal = model.erroredRefusal(toDo: action, uploadPrice: uploadPrice) { throw refusal }
    }
}
