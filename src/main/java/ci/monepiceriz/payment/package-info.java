/**
 * Payments through CinetPay's hosted checkout (PRODUCT.md §7, cinetpay.md). Today the
 * provider side: the {@link ci.monepiceriz.payment.PaymentProvider} port initialises a
 * payment (answering the checkout URL) and checks a transaction's authoritative status,
 * each outcome a value ({@link ci.monepiceriz.payment.Initialisation},
 * {@link ci.monepiceriz.payment.PaymentCheck}); {@code domain} holds the charge rule
 * (whole XOF, multiples of 5, at least 100, rounded down), the description rule and the
 * legacy webhook's {@code x-token}; {@code cinetpay} holds the two adapters, chosen by
 * {@code shop.payment.cinetpay.api}: legacy Checkout v2 ({@code CinetPayGateway}) and the
 * new API ({@code CinetPayNewApiGateway}: Bearer token, per-payment {@code notify_token}
 * kept only as a digest), each with timeouts, retries, a circuit breaker and metrics.
 * {@link ci.monepiceriz.payment.PaymentService} starts a payment (an attempt in
 * {@code payment_attempt}, the provider called between two transactions) and reads an
 * attempt for the payer's return page; {@code web} holds their endpoints and
 * {@code persistence} the attempts. {@link ci.monepiceriz.payment.PaymentSettlement}
 * settles attempts from CinetPay's verified notifications (the webhook in {@code web},
 * {@link ci.monepiceriz.payment.ReceivedNotification} verified through the port): status
 * from the check call only, one transaction with the order row locked, the order
 * confirmed and paid once through ordering's API, refunds and mismatches flagged. It
 * reads orders only through ordering's API.
 * {@link ci.monepiceriz.payment.PaymentReconciliation} checks attempts whose notification
 * never came. Refunds are payouts: {@link ci.monepiceriz.payment.PaymentProvider#payout}
 * and {@code checkPayout} (provider-neutral; CinetPay's v1 Transfer API in
 * {@code cinetpay}), driven by {@link ci.monepiceriz.payment.RefundPayouts} (a job on
 * every instance: refunds claimed with {@code FOR UPDATE SKIP LOCKED} and a lease, the
 * provider called outside transactions, one payout id per refund reused by every retry,
 * store credit when a payout is impossible); {@code CancellationRefunds} implements
 * ordering's {@link ci.monepiceriz.ordering.RefundRequests}, so cancelling a paid order
 * records its refund in the same transaction.
 */
package ci.monepiceriz.payment;
