/**
 * Development sentences, fourth round, fourth batch (issue 13): typography and prose forms
 * found by probing the detectors with invented strings after the third batch, written before
 * the change for them, never from the blind lines. French numbers with narrow no-break
 * spaces (U+202F) and thin spaces, en dashes typed by word processors, keys named in prose
 * without a colon, a bare "key:" label, and the look-alikes such a label sits next to (hashes,
 * UUIDs, primary keys). Secret values were generated at random. Markup as in sentences-en.ts.
 */
export const round4FourthByLocale: Record<string, readonly string[]> = {
  'typography and prose forms (dev 4d)': [
    'Rappelez-moi au [[PHONE:06\u202f12\u202f34\u202f56\u202f78]] après 18 h.',
    'Standard : [[PHONE:+33\u202f1\u202f44\u202f55\u202f66\u202f77]] (du lundi au vendredi).',
    'Tél.\u00a0: [[PHONE:04\u200972\u200900\u200911\u200922]]',
    'Handy: [[PHONE:0171–1234567]], Büro: [[PHONE:030–2345678]]',
    'Call me on [[PHONE:020 7946 0958]] – or email [[EMAIL:ops@example-firm.co.uk]] – either is fine.',
    'the secret access key [[SECRET:wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPL3]] belongs to the CI user',
    'here is the key: [[SECRET:9fK2mQ7xL4pR8sT1vW3yZ6aB]] – please rotate it after the demo',
    'Der API-Schlüssel lautet [[SECRET:Qm7xT2kP9wL4zR8vN3bY6cH1]].',
    'La clé API est [[SECRET:Lp4nW8qZ2xK7mR3tV9yB6cF1]], ne la partagez pas.',
    'De API-sleutel is [[SECRET:Rt6yU8iO2pA4sD7fG9hJ3kL5]].',
    'cache key: 3f9a1c2b7e4d5f6a8b9c0d1e2f3a4b5c6d7e8f90 (sha1 of the request body)',
    'idempotency key: 550e8400-e29b-41d4-a716-446655440000',
    'primary key: 1048576, foreign key: 2048',
    'Press any key: the installer continues in 10 seconds.',
    'key: value pairs are separated by a colon in YAML.',
    'Opening hours 9–17, lunch 12–13; price range 1200–1500 €.',
    'Seasons 2019–2024 were the best; rooms 101–112 are on the first floor.',
  ],
};
