/** The NOTIFY channel on which the notifications consumer wakes the dispatcher, once per batch. */
export const DELIVERIES_DUE_CHANNEL = 'deliveries_due';
