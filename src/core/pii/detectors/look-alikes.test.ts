import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { detectPii } from '../detect.js';

const found = (text: string, nlp = false) => detectPii(text, { nlp }).map((detection) => `${detection.type}:${text.slice(detection.start, detection.end)}`);

// The fourth dev round (bench/pii/sentences-round4.ts): each case failed before its rule.
describe('fourth dev round: look-alikes stay, phones, secrets and e-mails in more shapes are found', () => {
  it('leaves order, company and product numbers alone', () => {
    assert.deepEqual(found('Bestellnummer 302-5566778-1234567, Betrag 149,99 €.'), []);
    assert.deepEqual(found('Partita IVA 01234567890, CAP 20121 Milano.'), []);
    assert.deepEqual(found('CEP 01310-100 (Av. Paulista).'), []);
    assert.deepEqual(found('CNPJ 12.345.678/0001-00 consta no boleto.'), []);
    assert.deepEqual(found('NIP 123-456-78-19 na fakturze.'), []);
    assert.deepEqual(found('EAN 4006381333931, UPC 036000291452'), []);
    // A card printed in fours is still a card.
    assert.deepEqual(found('card 4111 1111 1111 1111'), ['CARD:4111 1111 1111 1111']);
  });

  it('finds phones in more national layouts', () => {
    assert.deepEqual(found('Contact no. 09820012345, alternate'), ['PHONE:09820012345']);
    assert.deepEqual(found('Tel. +49 (0)89 / 123 456-0, Fax'), ['PHONE:+49 (0)89 / 123 456-0']);
    assert.deepEqual(found('whats 21 9 8765-4321 ou'), ['PHONE:21 9 8765-4321']);
    assert.deepEqual(found('Numéro vert : 0 800 123 456.'), ['PHONE:0 800 123 456']);
    // The last nine digits pass the BSN check; the whole number is the phone.
    assert.deepEqual(found('Telefoon: +31 (0)20 123 4567 | Mobiel'), ['PHONE:+31 (0)20 123 4567']);
    // Still an amount and a list, not phones.
    assert.deepEqual(found('Population 12 345 678 in 2026'), []);
  });

  it('skips masked values and finds passwords labelled with words before the colon', () => {
    assert.deepEqual(found('password: "********"  api_key: "[FILTERED]"  token: <YOUR_TOKEN_HERE>'), []);
    assert.deepEqual(found('Passwort für den Testserver: y%ReDO5zD9A2eHVIGW'), ['SECRET:y%ReDO5zD9A2eHVIGW']);
    assert.deepEqual(found('password reset link: https://example.com/reset'), []);
  });

  it("finds e-mails with spelled-out dots and other languages' words for @", () => {
    assert.deepEqual(found('write to me at kayla dot morgan at outlook dot com'), ['EMAIL:kayla dot morgan at outlook dot com']);
    assert.deepEqual(found('Correo: pedidos [arroba] ferreteria-lopez [punto] es'), ['EMAIL:pedidos [arroba] ferreteria-lopez [punto] es']);
    assert.deepEqual(found('look at this dot it is'), []);
  });

  it('leaves streets, rooms, stations and arenas named after people alone', () => {
    for (const text of [
      'Ludwig-Erhard-Allee und Konrad-Adenauer-Ufer sind gesperrt.',
      'Willem-Alexanderplein en Beatrixpark liggen vlak bij het station.',
      'Rue Victor Hugo et boulevard Jean Jaurès sont fermés.',
      'Demain, réunion à 9 h 30 salle Voltaire.',
      'Calle Mayor y Plaza de Isabel II cortadas por obras.',
      'Ulica Jana Pawła II będzie zamknięta.',
      'Parfait, on se retrouve gare Saint-Lazare à 18 h.',
      'Perfetto, ci vediamo a Santa Maria Novella alle 9:15.',
      'Mercedes-Benz Arena and Allianz Arena sold out.',
      'La Fiat Panda e l’Alfa Romeo Giulia sono in pronta consegna.',
    ]) {
      assert.deepEqual(found(text, true), [], text);
    }
    // People are still found.
    assert.deepEqual(found('Ik heb Willem de Vries gebeld.'), ['NAME:Willem de Vries']);
  });

  // Second batch (sentences-round4b.ts).
  it('leaves newspapers, restaurants, shops and airports named after people alone', () => {
    for (const text of [
      'Washington Post and Boston Globe both covered the merger.',
      'Gordon Ramsay Burger in Las Vegas opens at 11 AM daily.',
      'Désolé, la boutique Sephora de Bordeaux est fermée pour inventaire.',
      'Leonardo da Vinci airport (FCO) reports 40-minute queues at security.',
      'Stella Artois and Leffe are on the menu at €5.50 per glass.',
    ]) {
      assert.deepEqual(found(text, true), [], text);
    }
    // After "de" (of) a name is still a name: "la voiture de Marie".
    assert.deepEqual(found('la voiture de Marie est garée devant.'), ['NAME:Marie']);
  });

  it('finds a value named in the attribute before it, and "Surname, First" as one name', () => {
    assert.deepEqual(found('<add key="ApiSecret" value="Vv0AjB0P6j55RgpIDGkZ9Ve5EEArIMYTddtTO6SY" />'), ['SECRET:Vv0AjB0P6j55RgpIDGkZ9Ve5EEArIMYTddtTO6SY']);
    assert.deepEqual(found('<add key="Theme" value="dark-blue-2024" />'), []);
    assert.deepEqual(found('To: "Müller, Jens" <jens.mueller@firma-beispiel.de>'), ['NAME:Müller, Jens', 'EMAIL:jens.mueller@firma-beispiel.de']);
    assert.deepEqual(found('Attendees: Ananya Iyer, Vikram Reddy, Sneha Kulkarni'), ['NAME:Ananya Iyer', 'NAME:Vikram Reddy', 'NAME:Sneha Kulkarni']);
  });

  // Third batch (sentences-round4c.ts).
  it('finds passwords on command lines, in environment variables, .pgpass lines and prompts', () => {
    const secrets = (text: string) => found(text).filter((item) => item.startsWith('SECRET:'));
    assert.deepEqual(secrets('redis-cli -h cache-01 -a Fk7kONRC80O8am8o ping'), ['SECRET:Fk7kONRC80O8am8o']);
    assert.deepEqual(secrets('mysql -u root -plUtxdn7ZMkyZ6Qsj -h db shop'), ['SECRET:lUtxdn7ZMkyZ6Qsj']);
    assert.deepEqual(secrets('PGPASSWORD=v!MOd0l!Mb9ECkeD psql -h db -U report sales'), ['SECRET:v!MOd0l!Mb9ECkeD']);
    assert.deepEqual(secrets("sshpass -p 'nEQlvykgvZuPAF3h' ssh deploy@build-01"), ['SECRET:nEQlvykgvZuPAF3h']);
    assert.deepEqual(secrets('docker login -u ci-bot -p 8Gbf5V2Y#OJYgwfg registry.example.org'), ['SECRET:8Gbf5V2Y#OJYgwfg']);
    assert.deepEqual(secrets('curl -u admin:Vwx3yOAkjZwAAiNY https://ci.example.org/api/json'), ['SECRET:Vwx3yOAkjZwAAiNY']);
    assert.deepEqual(secrets('db.internal:5432:sales:report:u4qbhmcEOeYSNeIK'), ['SECRET:u4qbhmcEOeYSNeIK']);
    assert.deepEqual(secrets('AWS Secret Access Key [None]: rio0fmh0y+74tPcthVW76KJyPSPgS9rvRQ/iIhMN'), ['SECRET:rio0fmh0y+74tPcthVW76KJyPSPgS9rvRQ/iIhMN']);
    // Variables, defaults and a prompt are no secrets; "-u 1000:1000" is a user and group id.
    for (const text of [
      'docker run -e POSTGRES_PASSWORD=changeme postgres:16',
      'redis-cli -a $REDIS_PASSWORD info',
      'mysql -u root -p -h db',
      'docker run -u 1000:1000 -p 8080:80 app',
    ]) {
      assert.deepEqual(secrets(text), [], text);
    }
  });

  it('leaves bank, company and tracking numbers, coordinates, hours and serials alone', () => {
    for (const text of [
      'Kontonummer 0123456789, BLZ 100 500 00 (alte Angaben).',
      'EIN 12-3456789 and DUNS 15-048-3782 are on the W-9.',
      'Partita IVA IT 01234567890 – REA MI-1234567.',
      'Coordinates: 48.858370, 2.294481, altitude 35 m.',
      'Opening hours 09:00–17:30, Sat 10.00-14.00.',
      'Tracking: 1Z 999 AA1 01 2345 6784 (UPS).',
      'Certificate serial 04:8f:2a:91:00:3c:77:e1',
      'Le lycée Victor Hugo est fermé jeudi.',
      'Le Stade Pierre-Mauroy accueillera le match.',
      'Maruti Suzuki and Tata Motors raised prices.',
    ]) {
      assert.deepEqual(found(text, true), [], text);
    }
    // Still phones and addresses.
    assert.deepEqual(found('Tel. 0612345678'), ['PHONE:0612345678']);
    assert.deepEqual(found('host fe80::1 and 2001:0db8:85a3:0000:0000:8a2e:0370:7334'), ['IP:fe80::1', 'IP:2001:0db8:85a3:0000:0000:8a2e:0370:7334']);
  });

  // Fourth batch (sentences-round4d.ts).
  it('reads narrow no-break spaces, thin spaces and en dashes in phones, and keys named in prose', () => {
    assert.deepEqual(found('Rappelez-moi au 06\u202f12\u202f34\u202f56\u202f78 après 18 h.'), ['PHONE:06\u202f12\u202f34\u202f56\u202f78']);
    assert.deepEqual(found('Handy: 0171\u20131234567'), ['PHONE:0171\u20131234567']);
    assert.deepEqual(found('the secret access key wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPL3 belongs to CI'), ['SECRET:wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPL3']);
    assert.deepEqual(found('Der API-Schlüssel lautet Qm7xT2kP9wL4zR8vN3bY6cH1.'), ['SECRET:Qm7xT2kP9wL4zR8vN3bY6cH1']);
    for (const text of [
      'cache key: 3f9a1c2b7e4d5f6a8b9c0d1e2f3a4b5c6d7e8f90',
      'idempotency key: 550e8400-e29b-41d4-a716-446655440000',
      'Press any key: the installer continues in 10 seconds.',
      'Seasons 2019\u20132024 were the best; rooms 101\u2013112.',
    ]) {
      assert.deepEqual(found(text), [], text);
    }
  });
});
