import { compileEventPattern } from './compile-event-pattern';

/** The sample event of EventBridge's content-filtering documentation (and of aws/event-ruler's README). */
const ec2Event = {
  version: '0',
  id: 'ddddd4-aaaa-7777-4444-345dd43cc333',
  'detail-type': 'EC2 Instance State-change Notification',
  source: 'aws.ec2',
  account: '012345679012',
  time: '2017-10-02T16:24:49Z',
  region: 'us-east-1',
  resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-000000aaaaaa00000'],
  detail: {
    'c-count': 5,
    'd-count': 3,
    'x-limit': 301.8,
    'source-ip': '10.0.0.33',
    'instance-id': 'i-000000aaaaaa00000',
    state: 'running',
  },
};

const withDetail = (detail: Record<string, unknown>) => ({ ...ec2Event, detail: { ...ec2Event.detail, ...detail } });

/** EventBridge's "matching null values and empty strings" sample. */
const autoscalingEvent = {
  version: '0',
  id: '3e3c153a-8339-4e30-8c35-687ebef853fe',
  'detail-type': 'EC2 Instance Launch Successful',
  source: 'aws.autoscaling',
  account: '123456789012',
  time: '2015-11-11T21:31:47Z',
  region: 'us-east-1',
  resources: [],
  detail: { eventVersion: '', responseElements: null },
};

const employees = {
  employees: [
    { firstName: 'John', lastName: 'Doe' },
    { firstName: 'Anna', lastName: 'Smith' },
    { firstName: 'Peter', lastName: 'Jones' },
  ],
};

/** One of ours: a transaction.created envelope (CONTRACT.md section 5). */
const transactionCreated = {
  specversion: '1.0',
  id: '0b8f3f5e-7c55-4d9e-a8f8-2b8f8d1c0e11',
  source: '/transactions',
  type: 'transaction.created',
  subject: '5a0f5c3e-1f7e-4a8e-9d55-6a7bd1d1b001',
  time: '2026-11-25T10:00:00.000Z',
  datacontenttype: 'application/json',
  sequence: '42',
  data: {
    id: '5a0f5c3e-1f7e-4a8e-9d55-6a7bd1d1b001',
    accountId: 'c6a4b5b2-0d0b-4f0e-9b3b-3f3c6c1d2e01',
    type: 'deposit',
    amount: '100000',
    currency: 'EUR',
    status: 'completed',
    description: null,
    metadata: { channel: 'sepa', reference: 'INV-2026-0042' },
    createdAt: '2026-11-25T10:00:00.000Z',
    updatedAt: '2026-11-25T10:00:00.000Z',
  },
};

const withData = (data: Record<string, unknown>) => ({
  ...transactionCreated,
  data: { ...transactionCreated.data, ...data },
});

const balanceUpdated = {
  ...transactionCreated,
  type: 'account.balance_updated',
  data: { accountId: 'c6a4b5b2', balance: '123456789012345678', currency: 'EUR', version: 7, transactionId: 't1' },
};

const contractExample = {
  type: [{ prefix: 'transaction.' }],
  data: { currency: ['EUR'], amount: [{ numeric: ['>=', 100000] }] },
};

type Case = [description: string, pattern: Record<string, unknown>, event: unknown, expected: boolean];

const eventBridgeExamples: Case[] = [
  // Event patterns: fields of the pattern must all match; those it does not name are ignored.
  [
    'the EC2 state-change pattern',
    { source: ['aws.ec2'], 'detail-type': ['EC2 Instance State-change Notification'], detail: { state: ['running'] } },
    ec2Event,
    true,
  ],
  [
    'the EC2 pattern, another state',
    {
      source: ['aws.ec2'],
      'detail-type': ['EC2 Instance State-change Notification'],
      detail: { state: ['terminated'] },
    },
    ec2Event,
    false,
  ],
  ['alternatives of a leaf are ORed', { detail: { state: ['initializing', 'running'] } }, ec2Event, true],
  ['fields are ANDed: one of them fails', { source: ['aws.ec2'], region: ['eu-west-1'] }, ec2Event, false],
  ['a field the event lacks', { detail: { colour: ['blue'] } }, ec2Event, false],
  // Arrays: the intersection of the pattern's and the event's lists must not be empty.
  [
    'an event array intersecting the alternatives',
    {
      resources: [
        'arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f',
        'arn:aws:ec2:us-east-1:111122223333:instance/i-b188560f',
      ],
    },
    {
      resources: [
        'arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:eb56d16b:autoScalingGroupName/ASGTerminate',
        'arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f',
      ],
    },
    true,
  ],
  [
    'an event array with no alternative in it',
    { resources: ['arn:aws:ec2:us-east-1:444455556666:instance/i-b188560f'] },
    { resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f'] },
    false,
  ],
  ['an object pattern reaches into an array of objects', { employees: { firstName: ['Anna'] } }, employees, true],
  [
    'array-consistent: both fields in the same element',
    { employees: { firstName: ['Anna'], lastName: ['Smith'] } },
    employees,
    true,
  ],
  [
    'array-consistent: fields from different elements do not match',
    { employees: { firstName: ['Anna'], lastName: ['Jones'] } },
    employees,
    false,
  ],
  [
    'arrays nested in arrays are flattened',
    { employees: { firstName: ['Peter'] } },
    { employees: [[employees.employees[0], employees.employees[1]], [employees.employees[2]]] },
    true,
  ],
  // Null values and empty strings are matched, and are not interchangeable.
  ['an empty string', { detail: { eventVersion: [''] } }, autoscalingEvent, true],
  ['null', { detail: { responseElements: [null] } }, autoscalingEvent, true],
  ['an empty string is not null', { detail: { responseElements: [''] } }, autoscalingEvent, false],
  ['null is not an empty string', { detail: { eventVersion: [null] } }, autoscalingEvent, false],
  ['null does not match an absent field', { detail: { missing: [null] } }, autoscalingEvent, false],
  // Prefix, suffix, equals-ignore-case.
  ['prefix', { time: [{ prefix: '2017-10-02' }] }, ec2Event, true],
  ['prefix, another day', { time: [{ prefix: '2017-10-03' }] }, ec2Event, false],
  ['prefix is case-sensitive', { source: [{ prefix: 'AWS.' }] }, ec2Event, false],
  ['prefix on a number', { detail: { 'c-count': [{ prefix: '5' }] } }, ec2Event, false],
  ['suffix', { FileName: [{ suffix: '.png' }] }, { FileName: 'image.png' }, true],
  ['suffix, another extension', { FileName: [{ suffix: '.png' }] }, { FileName: 'image.jpg' }, false],
  ['suffix', { source: [{ suffix: 'ec2' }] }, ec2Event, true],
  ['equals-ignore-case', { Name: [{ 'equals-ignore-case': 'alice' }] }, { Name: 'Alice' }, true],
  ['equals-ignore-case, another name', { Name: [{ 'equals-ignore-case': 'alice' }] }, { Name: 'Alicia' }, false],
  ['equals-ignore-case', { source: [{ 'equals-ignore-case': 'AWS.EC2' }] }, ec2Event, true],
  // Anything-but.
  ['anything-but a string', { detail: { state: [{ 'anything-but': 'initializing' }] } }, ec2Event, true],
  ['anything-but that very string', { detail: { state: [{ 'anything-but': 'running' }] } }, ec2Event, false],
  ['anything-but a number', { detail: { 'x-limit': [{ 'anything-but': 123 }] } }, ec2Event, true],
  ['anything-but that very number', { detail: { 'x-limit': [{ 'anything-but': 301.8 }] } }, ec2Event, false],
  [
    'anything-but a list of strings',
    { detail: { state: [{ 'anything-but': ['stopped', 'overloaded'] }] } },
    ec2Event,
    true,
  ],
  [
    'anything-but a list holding the value',
    { detail: { state: [{ 'anything-but': ['stopped', 'running'] }] } },
    ec2Event,
    false,
  ],
  ['anything-but a list of numbers', { detail: { 'x-limit': [{ 'anything-but': [100, 200, 300] }] } }, ec2Event, true],
  ['anything-but a prefix', { detail: { state: [{ 'anything-but': { prefix: 'init' } }] } }, ec2Event, true],
  [
    'anything-but the prefix of the value',
    { detail: { state: [{ 'anything-but': { prefix: 'run' } }] } },
    ec2Event,
    false,
  ],
  ['anything-but a prefix: not in the US', { region: [{ 'anything-but': { prefix: 'us-' } }] }, ec2Event, false],
  [
    'anything-but does not match an absent field',
    { detail: { colour: [{ 'anything-but': 'blue' }] } },
    ec2Event,
    false,
  ],
  [
    'anything-but: weather is anything but raining',
    { Weather: [{ 'anything-but': ['Raining'] }] },
    { Weather: 'Sunny' },
    true,
  ],
  // Numeric.
  ['numeric range', { detail: { 'c-count': [{ numeric: ['>', 0, '<=', 5] }] } }, ec2Event, true],
  ['numeric range excluding the value', { detail: { 'c-count': [{ numeric: ['>', 0, '<', 5] }] } }, ec2Event, false],
  ['numeric upper bound', { detail: { 'd-count': [{ numeric: ['<', 10] }] } }, ec2Event, true],
  ['numeric equality in exponent form', { detail: { 'x-limit': [{ numeric: ['=', 3.018e2] }] } }, ec2Event, true],
  ['numeric on a string that is no number', { detail: { state: [{ numeric: ['>', 0] }] } }, ec2Event, false],
  ['price is more than 10 and at most 20', { Price: [{ numeric: ['>', 10, '<=', 20] }] }, { Price: 20 }, true],
  ['price is 100', { Price: [{ numeric: ['=', 100] }] }, { Price: 100 }, true],
  // Exists.
  ['exists: true', { detail: { 'c-count': [{ exists: true }] } }, ec2Event, true],
  ['exists: true, absent', { detail: { 'e-count': [{ exists: true }] } }, ec2Event, false],
  ['exists: false, present', { detail: { 'c-count': [{ exists: false }] } }, ec2Event, false],
  ['exists: false, absent', { detail: { 'e-count': [{ exists: false }] } }, ec2Event, true],
  [
    'exists works on leaves only: an object is not a value',
    { detail: { 'c-count': [{ exists: false }] } },
    withDetail({ 'c-count': { c1: 100 } }),
    true,
  ],
  [
    'exists: true does not see an object',
    { detail: { 'c-count': [{ exists: true }] } },
    withDetail({ 'c-count': { c1: 100 } }),
    false,
  ],
  ['exists: true sees null', { detail: { responseElements: [{ exists: true }] } }, autoscalingEvent, true],
  ['an empty array holds no value', { resources: [{ exists: false }] }, autoscalingEvent, true],
  // The complex example of event-ruler's README (without its cidr, which we do not support).
  [
    'the complex example',
    {
      time: [{ prefix: '2017-10-02' }],
      detail: {
        state: [{ 'anything-but': 'initializing' }],
        'c-count': [{ numeric: ['>', 0, '<=', 5] }],
        'd-count': [{ numeric: ['<', 10] }],
        'x-limit': [{ 'anything-but': [100, 200, 300] }],
      },
    },
    ec2Event,
    true,
  ],
  [
    'the complex example, initializing',
    {
      time: [{ prefix: '2017-10-02' }],
      detail: {
        state: [{ 'anything-but': 'initializing' }],
        'c-count': [{ numeric: ['>', 0, '<=', 5] }],
      },
    },
    withDetail({ state: 'initializing' }),
    false,
  ],
];

const platformExamples: Case[] = [
  ['the contract example', contractExample, transactionCreated, true],
  ['the contract example, USD', contractExample, withData({ currency: 'USD' }), false],
  ['the contract example, one minor unit short', contractExample, withData({ amount: '99999' }), false],
  [
    'the contract example, an account event',
    contractExample,
    { ...transactionCreated, type: 'account.created' },
    false,
  ],
  [
    'a type prefix stops at the dot',
    { type: [{ prefix: 'transaction.' }] },
    { ...transactionCreated, type: 'transactions' },
    false,
  ],
  [
    'an 18-digit balance, beyond a double, under no safe integer',
    { data: { balance: [{ numeric: ['<', 9007199254740991] }] } },
    balanceUpdated,
    false,
  ],
  [
    'an amount a float would round down to the bound',
    { data: { amount: [{ numeric: ['>', 100000] }] } },
    withData({ amount: '100000.000000000000000001' }),
    true,
  ],
  [
    'a fraction a float would round to the bound',
    { data: { amount: [{ numeric: ['>', 0.1] }] } },
    withData({ amount: '0.1000000000000000000001' }),
    true,
  ],
  [
    'an 18-digit balance against an upper bound',
    { data: { balance: [{ numeric: ['>', 9007199254740991] }] } },
    balanceUpdated,
    true,
  ],
  [
    'a decimal bound on an amount of minor units',
    { data: { amount: [{ numeric: ['>', 99999.5, '<', 100000.5] }] } },
    transactionCreated,
    true,
  ],
  ['an exact string amount', { data: { amount: ['100000'] } }, transactionCreated, true],
  ['a number does not equal a string amount', { data: { amount: [100000] } }, transactionCreated, false],
  ['numeric equality on a string amount', { data: { amount: [{ numeric: ['=', 100000] }] } }, transactionCreated, true],
  ['a nested metadata field', { data: { metadata: { channel: ['sepa'] } } }, transactionCreated, true],
  [
    'metadata is an object: exists sees no value',
    { data: { metadata: [{ exists: true }] } },
    transactionCreated,
    false,
  ],
  ['a null description', { data: { description: [null] } }, transactionCreated, true],
  [
    'a description that is anything but null',
    { data: { description: [{ 'anything-but': null }] } },
    transactionCreated,
    false,
  ],
  [
    'a description that is anything but null, given',
    { data: { description: [{ 'anything-but': null }] } },
    withData({ description: 'rent' }),
    true,
  ],
  [
    'no transaction.updated field on a created event',
    { data: { previousStatus: [{ exists: false }] } },
    transactionCreated,
    true,
  ],
  [
    'anything-but a status, and an ignore-case reference',
    {
      data: {
        status: [{ 'anything-but': ['failed', 'reversed'] }],
        metadata: { reference: [{ 'equals-ignore-case': 'inv-2026-0042' }] },
      },
    },
    transactionCreated,
    true,
  ],
  ['a source suffix', { source: [{ suffix: 'transactions' }] }, transactionCreated, true],
  ['a version bound', { data: { version: [{ numeric: ['>=', 7] }] } }, balanceUpdated, true],
  ['an integer version is not a string', { data: { version: ['7'] } }, balanceUpdated, false],
  [
    'a field of an object pattern over a string: absent',
    { data: { currency: { code: [{ exists: false }] } } },
    transactionCreated,
    true,
  ],
  [
    'a field of an object pattern over a string: no value',
    { data: { currency: { code: ['EUR'] } } },
    transactionCreated,
    false,
  ],
  ['a pattern over something that is not an event', { type: ['x'] }, 'transaction.created', false],
];

describe('compileEventPattern', () => {
  it.each(eventBridgeExamples)("EventBridge's documented example: %s", (_description, pattern, event, expected) => {
    expect(compileEventPattern(pattern)(event)).toBe(expected);
  });

  it.each(platformExamples)('on platform events: %s', (_description, pattern, event, expected) => {
    expect(compileEventPattern(pattern)(event)).toBe(expected);
  });

  it('refuses to compile an invalid pattern, naming every problem', () => {
    expect(() => compileEventPattern({ type: [], data: { amount: [{ numeric: ['>=', 'x'] }] } })).toThrow(
      'invalid event pattern: type must hold at least one alternative; data.amount[0].numeric[1] must be a number',
    );
  });

  it('compiles once and matches many events', () => {
    const matches = compileEventPattern(contractExample);
    const amounts = ['1', '99999', '100000', '100001', '123456789012345678', '-100000', '100000.0', 'abc'];
    expect(amounts.filter((amount) => matches(withData({ amount })))).toEqual([
      '100000',
      '100001',
      '123456789012345678',
      '100000.0',
    ]);
  });
});
