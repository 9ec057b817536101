import type {
  ListChargesRequest,
  ListChargesResponse,
  CreateChargeRequest,
  CreateChargeResponse,
  RefundChargeRequest,
  RefundChargeResponse,
} from "@omnihall/proto/omnihall/billing/v1/billing";
import type {
  CheckEligibilityRequest,
  CheckEligibilityResponse,
  ConsumeReservationRequest,
  ConsumeReservationResponse,
  ReserveNumberRequest,
  ReserveNumberResponse,
} from "@omnihall/proto/omnihall/catalog/v1/catalog";
import type { GetCampaignRequest, GetCampaignResponse } from "@omnihall/proto/omnihall/campaign/v1/campaign";
import type { GetSubscriberRequest, GetSubscriberResponse } from "@omnihall/proto/omnihall/customer/v1/customer";
import type { ProvisioningAdapter } from "../provisioning/provisioning-adapter.js";

export interface CallOptions {
  requestId?: string;
  deadlineMs?: number;
}

type Call<Request, Response> = (request: Request, options?: CallOptions) => Promise<Response>;

/** The calls the order engine makes to other domain services (a subset of their channel clients). */
export interface CatalogCalls {
  checkEligibility: Call<CheckEligibilityRequest, CheckEligibilityResponse>;
  reserveNumber: Call<ReserveNumberRequest, ReserveNumberResponse>;
  consumeReservation: Call<ConsumeReservationRequest, ConsumeReservationResponse>;
}

export interface BillingCalls {
  createCharge: Call<CreateChargeRequest, CreateChargeResponse>;
  refundCharge: Call<RefundChargeRequest, RefundChargeResponse>;
  listCharges: Call<ListChargesRequest, ListChargesResponse>;
}

export interface CustomerCalls {
  getSubscriber: Call<GetSubscriberRequest, GetSubscriberResponse>;
}

/** The campaign an order names is checked with the campaign service (it may call GetCampaign). */
export interface CampaignCalls {
  getCampaign: Call<GetCampaignRequest, GetCampaignResponse>;
}

/** Everything outside this service that taking and fulfilling an order needs. */
export interface Dependencies {
  catalog: CatalogCalls;
  billing: BillingCalls;
  customer: CustomerCalls;
  campaign: CampaignCalls;
  provisioning: ProvisioningAdapter;
}
