import { contributorOf, matchesFilter, metricValueOf } from '../support/metric-filter';

/**
 * The filter-pattern model in test/support/metric-filter.ts, checked on the examples of the AWS
 * documentation. Unless a test says otherwise, patterns and log events are quoted from "Filter and
 * Pattern Syntax", Amazon CloudWatch Logs User Guide (awsdocs/amazon-cloudwatch-logs-user-guide,
 * doc_source/FilterAndPatternSyntax.md; today's page
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html).
 */

const matching = (pattern: string, events: readonly string[]) =>
  events.filter((e) => matchesFilter(pattern, e));

describe('matching terms in unstructured log events', () => {
  test('Example 1: a single term, case-sensitive substring', () => {
    const events = [
      '[ERROR] A fatal exception has occurred',
      'Exiting with ERRORCODE: -1',
      '[error] lower case',
    ];
    expect(matching('"ERROR"', events)).toEqual(events.slice(0, 2));
    expect(matching('ERROR', events)).toEqual(events.slice(0, 2));
  });

  test('Example 2: include a term and exclude a term ("ERROR" - "Exiting")', () => {
    const events = ['[ERROR] A fatal exception has occurred', 'Exiting with ERRORCODE: -1'];
    expect(matching('"ERROR" - "Exiting"', events)).toEqual(['[ERROR] A fatal exception has occurred']);
  });

  test('Example 3: multiple terms must all appear', () => {
    const events = [
      '[ERROR] Caught IllegalArgumentException',
      '[ERROR] Unhandled Exception',
      '[ERROR] A fatal exception has occurred', // ours: "exception", not "Exception"
    ];
    expect(matching('ERROR Exception', events)).toEqual(events.slice(0, 2));
    const phrases = [
      '[WARN] Failed to process the request',
      '[ERROR] Unable to continue: Failed to process the request',
      '[WARN] Failed to process', // ours: "the" and "request" missing
    ];
    expect(matching('Failed to process the request', phrases)).toEqual(phrases.slice(0, 2));
  });

  test('OR pattern matching: ?term, and -term without quotes', () => {
    const events = ['ERROR WARN message', 'ERROR message', 'WARN message'];
    expect(matching('ERROR', events)).toEqual(['ERROR WARN message', 'ERROR message']);
    expect(matching('?ERROR ?WARN', events)).toEqual(events);
    expect(matching('ERROR WARN', events)).toEqual(['ERROR WARN message']);
    expect(matching('ERROR -WARN', events)).toEqual(['ERROR message']);
  });

  test('a term with characters other than letters, digits and _ must be quoted (refused otherwise)', () => {
    expect(() => matchesFilter('odoo.sql_db:', 'x')).toThrow(/quote it/);
    expect(matchesFilter('"odoo.sql_db:"', 'INFO db odoo.sql_db: x')).toBe(true);
  });
});

describe('matching terms in JSON log events', () => {
  // The document's JSON example.
  const event = JSON.stringify({
    eventType: 'UpdateTrail',
    sourceIPAddress: '111.111.111.111',
    arrayKey: ['value', 'another value'],
    objectList: [
      { name: 'a', id: 1 },
      { name: 'b', id: 2 },
    ],
    SomeObject: null,
    ThisFlag: true,
  });

  test.each([
    '{ $.eventType = "UpdateTrail" }',
    '{ $.sourceIPAddress != 123.123.* }',
    '{ $.arrayKey[0] = "value" }',
    '{ $.objectList[1].id = 2 }',
    '{ $.SomeObject IS NULL }',
    '{ $.SomeOtherObject NOT EXISTS }',
    '{ $.ThisFlag IS TRUE }',
  ])('"The following filters would match": %s', (pattern) => {
    expect(matchesFilter(pattern, event)).toBe(true);
  });

  test.each([
    '{ $.eventType = "UpdateTrail2" }',
    '{ $.sourceIPAddress != 111.111.* }',
    '{ $.arrayKey[1] = "value" }',
    '{ $.objectList[0].id = 2 }',
    '{ $.eventType IS NULL }',
    '{ $.eventType NOT EXISTS }',
    '{ $.ThisFlag IS FALSE }',
    '{ $.SomeOtherObject != "x" }', // ours: a missing field matches no comparison, != included
    '{ $.arrayKey = "value" }', // ours: a selector on an array matches nothing
  ])('near miss of the same event: %s', (pattern) => {
    expect(matchesFilter(pattern, event)).toBe(false);
  });

  test('wildcards: *Event, Event*, and Ev*ent which "will only match the actual string Ev*ent"', () => {
    const events = ['PutEvent', 'GetEvent', 'EventId', 'EventName', 'Ev*ent', 'Event'].map((name) =>
      JSON.stringify({ name }),
    );
    const names = (pattern: string) => matching(pattern, events).map((e) => JSON.parse(e).name);
    expect(names('{ $.name = *Event }')).toEqual(['PutEvent', 'GetEvent', 'Event']);
    expect(names('{ $.name = Event* }')).toEqual(['EventId', 'EventName', 'Event']);
    expect(names('{ $.name = Ev*ent }')).toEqual(['Ev*ent']);
  });

  test('OR in JSON filters: {$.foo = bar}, {$.foo = baz }, {$.foo = bar || $.foo = baz }', () => {
    const events = ['{"foo": "bar"}', '{"foo": "baz"}'];
    expect(matching('{$.foo = bar}', events)).toEqual(['{"foo": "bar"}']);
    expect(matching('{$.foo = baz }', events)).toEqual(['{"foo": "baz"}']);
    expect(matching('{$.foo = bar || $.foo = baz }', events)).toEqual(events);
  });

  describe('compound conditions: () > && > ||', () => {
    const compound = JSON.stringify({
      user: { id: 1, email: 'John.Stiles@example.com' },
      users: [
        { id: 2, email: 'John.Doe@example.com' },
        { id: 3, email: 'Jane.Doe@example.com' },
      ],
      actions: ['GET', 'PUT', 'DELETE'],
      coordinates: [
        [0, 1, 2],
        [4, 5, 6],
        [7, 8, 9],
      ],
    });
    test.each([
      ['{ ($.user.id = 1) && ($.users[0].email = "John.Doe@example.com") }', true],
      ['{ ($.user.id = 2 && $.users[0].email = "nonmatch") || $.actions[2] = "GET" }', false],
      [
        '{ $.user.email = "John.Stiles@example.com" || $.coordinates[0][1] = nonmatch && $.actions[2] = nomatch }',
        true,
      ],
      [
        '{ ($.user.email = "John.Stiles@example.com" || $.coordinates[0][1] = nonmatch) && $.actions[2] = nomatch }',
        false,
      ],
    ])('%s -> %s', (pattern, expected) => {
      expect(matchesFilter(pattern, compound)).toBe(expected);
    });
  });

  test('special considerations: {$.users = 1} and {$.users != 1} both fail when users is an array', () => {
    const event = JSON.stringify({ users: [1, 2, 3] });
    expect(matchesFilter('{$.users = 1}', event)).toBe(false);
    expect(matchesFilter('{$.users != 1}', event)).toBe(false);
  });

  test('numeric comparisons: the documented patterns, on events of ours at and beside each bound', () => {
    const cases: [string, object, object][] = [
      ['{ $.latency >= 500 }', { latency: 500 }, { latency: 499 }],
      ['{ $.numbers[0] < 10e3 }', { numbers: [9999] }, { numbers: [10000] }],
      ['{ $.numbers[0] < 10e-3 }', { numbers: [0.009] }, { numbers: [0.01] }],
      [
        '{ $.processes[4].averageRuntime <= 55.5 }',
        { processes: [0, 0, 0, 0, { averageRuntime: 55.5 }] },
        {},
      ],
      ['{ $.errorCode = 400 }', { errorCode: 400 }, { errorCode: 401 }],
      ['{ $.errorCode != 500 }', { errorCode: 400 }, { errorCode: 500 }],
      ['{ $.latency > +1000 }', { latency: 1001 }, { latency: 1000 }],
    ];
    for (const [pattern, yes, no] of cases) {
      expect([pattern, matchesFilter(pattern, JSON.stringify(yes))]).toEqual([pattern, true]);
      expect([pattern, matchesFilter(pattern, JSON.stringify(no))]).toEqual([pattern, false]);
    }
  });

  test('a JSON pattern matches no event that is not JSON', () => {
    expect(matchesFilter('{ $.event = "x" }', 'INFO {"event":"x"}')).toBe(false);
  });
});

describe('space-delimited log events', () => {
  const events = [
    '127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] "GET /apache_pb.gif HTTP/1.0" 200 1534',
    '127.0.0.1 - frank [10/Oct/2000:13:35:22 -0700] "GET /apache_pb.gif HTTP/1.0" 500 5324',
    '127.0.0.1 - frank [10/Oct/2000:13:50:35 -0700] "GET /apache_pb.gif HTTP/1.0" 200 4355',
  ];
  const [first, second, third] = events;

  test.each([
    ['[ip, user, username, timestamp, request, status_code, bytes]', events],
    ['[..., status_code, bytes]', events],
    ['[ip, user, ..., status_code, bytes]', events],
    ['[ip, user, ...]', events],
    ['[ip, user, username, timestamp, request, status_code, bytes > 1000]', events],
    ['[ip, user, username, timestamp, request, status_code, bytes > 5000]', [second]],
    ['[ip, user, username, timestamp, request, status_code = 200, bytes]', [first, third]],
    ['[ip, user, username, timestamp, request, status_code = 4*, bytes]', []],
    ['[ip, user, username, timestamp, request = *html*, status_code = 4*, bytes]', []],
    ['[ip, user, username, timestamp, request, status_code = 5* && status_code != 503, bytes]', [second]],
    ['[ip, user, username, timestamp, request, status_code]', []], // ours: one field short
  ])('%s', (pattern, expected) => {
    expect(matching(pattern, events)).toEqual(expected);
  });

  test('OR in space-delimited filters: [w1=ERROR, w2] and [w1=ERROR || w1=WARN, w2]', () => {
    const lines = ['ERROR WARN message', 'ERROR message', 'WARN message'];
    expect(matching('[w1=ERROR, w2]', lines)).toEqual(['ERROR message']);
    expect(matching('[w1=ERROR || w1=WARN, w2]', lines)).toEqual(['ERROR message', 'WARN message']);
  });

  test('conditions across fields are not modelled: refused rather than guessed', () => {
    expect(() =>
      matchesFilter(
        '[ip, user, username, timestamp, request, status_code = 4* && bytes > 1000]',
        first as string,
      ),
    ).toThrow(/not modelled/);
  });

  test('extracted fields of "[..., request=*.html*, status_code=4*,]" become metric values', () => {
    const event = '127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] "GET /index.html HTTP/1.0" 404 1534';
    const pattern = '[..., request=*.html*, status_code=4*,]';
    expect(matchesFilter(pattern, event)).toBe(true);
    // The document lists $status_code 404, $7 1534, $4 the timestamp, $3 frank, $2 -, $1 the address
    // (and, inconsistently with its own event, /products/index.html for $request).
    expect(metricValueOf(pattern, '$status_code', event)).toBe(404);
    expect(metricValueOf(pattern, '$7', event)).toBe(1534);
    expect(metricValueOf(pattern, '$request', event)).toBeUndefined(); // "GET /index.html HTTP/1.0" is no number
    expect(matchesFilter(pattern, (first as string).replace('apache_pb.gif', 'index.html'))).toBe(false);
  });
});

describe('metric values', () => {
  test('"metricFilter: { $.latency = * } metricValue: $.latency" publishes the latency', () => {
    const pattern = '{ $.latency = * }';
    expect(metricValueOf(pattern, '$.latency', '{"latency": 50, "requestType": "GET"}')).toBe(50);
    expect(metricValueOf(pattern, '$.latency', '{"requestType": "GET"}')).toBeUndefined();
    expect(metricValueOf(pattern, '1', '{"latency": 50}')).toBe(1);
    expect(metricValueOf(pattern, '$.latency', '{"latency": "fast"}')).toBeUndefined();
  });
});

describe('Contributor Insights rules (Amazon CloudWatch User Guide, "Contributor Insights rule syntax")', () => {
  // The document's JSON-log rule: Keys ["$.ip"], Filters [{ "Match": "$.httpMethod", "In": ["PUT"] }].
  const rule = { keys: ['$.ip'], filters: [{ match: '$.httpMethod', in: ['PUT'] }] };

  test('a matching event is counted under its key values; others are not counted', () => {
    expect(contributorOf(rule, '{"ip":"198.51.100.1","httpMethod":"PUT","requestBytes":10}')).toEqual([
      '198.51.100.1',
    ]);
    expect(contributorOf(rule, '{"ip":"198.51.100.1","httpMethod":"GET"}')).toBeUndefined();
    expect(contributorOf(rule, '{"httpMethod":"PUT"}')).toBeUndefined();
    expect(contributorOf(rule, '198.51.100.1 PUT')).toBeUndefined();
  });

  test('"All matching of rules to log event field names and values is case sensitive"', () => {
    expect(contributorOf(rule, '{"ip":"198.51.100.1","httpMethod":"put"}')).toBeUndefined();
    expect(contributorOf(rule, '{"IP":"198.51.100.1","httpMethod":"PUT"}')).toBeUndefined();
  });
});
