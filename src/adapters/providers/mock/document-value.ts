import { type DocumentText, firstCurrency, firstDate, firstNumber, normaliseName } from './document-text.js';

/**
 * Labels that mean a property, by normalised property name (`vendor` + `name` is also tried
 * as `vendorname`). The property's own name and its description's first phrase always count.
 */
const synonyms: Record<string, string[]> = {
  invoicenumber: ['invoiceno', 'invoicenr', 'invoice', 'invoiceid', 'rechnungsnummer', 'rechnungsnr', 'rechnungnr', 'numerofactura', 'facturano'],
  issuedate: ['invoicedate', 'date', 'dated', 'rechnungsdatum', 'datum'],
  invoicedate: ['issuedate', 'date', 'dated', 'rechnungsdatum', 'datum'],
  duedate: ['paymentdue', 'due', 'zahlbarbis', 'falligkeit', 'falligam'],
  shipdate: ['shippingdate', 'shipmentdate', 'dispatchdate', 'despatchdate', 'versanddatum'],
  shipmentid: ['shipmentno', 'shipmentnumber', 'shipmentref', 'consignmentno', 'waybill', 'sendungsnummer'],
  buyer: ['billto', 'billedto', 'customer', 'soldto', 'rechnungsempfanger', 'kunde'],
  vendorname: ['vendor', 'supplier', 'seller', 'from', 'lieferant'],
  suppliername: ['supplier', 'vendor', 'seller', 'lieferant'],
  currency: ['wahrung', 'devise', 'currencycode'],
  total: ['totaldue', 'amountdue', 'grandtotal', 'totalamount', 'balancedue', 'gesamt', 'gesamtbetrag', 'rechnungsbetrag', 'endbetrag'],
  amountdue: ['totaldue', 'total', 'grandtotal', 'balancedue', 'rechnungsbetrag'],
  subtotal: ['summenetto', 'nettobetrag', 'netamount', 'net', 'zwischensumme'],
  tax: ['vat', 'salestax', 'taxamount', 'vatamount', 'mwst', 'ust', 'zzglmwst'],
  taxid: ['vatregno', 'vatno', 'vatid', 'ustidnr', 'ustid', 'taxnumber', 'steuernummer'],
  vendortaxid: ['vatregno', 'vatno', 'vatid', 'ustidnr', 'ustid', 'taxnumber', 'steuernummer'],
  carrier: ['shippedvia', 'spediteur', 'frachtfuhrer'],
  origin: ['from', 'shipfrom', 'shipper', 'versandort'],
  destination: ['to', 'shipto', 'deliverto', 'consignee', 'empfanger'],
};
const companyNames = new Set(['vendorname', 'suppliername', 'sellername', 'companyname', 'issuername', 'vendor', 'supplier', 'seller', 'issuer']);

export interface Field {
  name: string;
  parent: string | undefined;
  node: Record<string, unknown>;
  /** The schema type being filled: `string`, `number` or `integer`. */
  type: string;
}

/** A value for `field` read from the document, or `undefined`; not yet checked against the schema. */
export function documentValue(document: DocumentText, field: Field): unknown {
  const name = normaliseName(field.name);
  const full = field.parent === undefined ? name : normaliseName(field.parent) + name;
  const labels = new Set([name, full, ...(synonyms[full] ?? []), ...(full === name ? [] : (synonyms[name] ?? []))]);
  if (typeof field.node.description === 'string') labels.add(normaliseName(field.node.description.split(/[,.(:;]/)[0]!));
  labels.delete('');
  const raw = document.labelled(labels);

  if (field.type === 'number' || field.type === 'integer') return raw === undefined ? undefined : firstNumber(raw);
  if (field.type !== 'string') return undefined;
  const format = field.node.format;
  if (format === 'date' || format === 'date-time' || (format === undefined && name.includes('date'))) {
    const date = (raw === undefined ? undefined : firstDate(raw)) ?? firstDate(document.text);
    return date !== undefined && format === 'date-time' ? `${date}T00:00:00Z` : date;
  }
  if (name.includes('currency') || (raw === undefined && field.node.pattern === '^[A-Z]{3}$')) {
    return (raw === undefined ? undefined : firstCurrency(raw)) ?? firstCurrency(document.text);
  }
  if (raw !== undefined && Array.isArray(field.node.enum)) {
    return field.node.enum.find((option) => typeof option === 'string' && normaliseName(option) === normaliseName(raw)) ?? raw;
  }
  if (raw !== undefined) return raw.slice(0, 200);
  const idWord = /^(.+?)_?(?:number|id|no|nr)$/i.exec(field.name.replace(/([a-z])([A-Z])/g, '$1_$2'))?.[1];
  if (idWord) return document.idAfter(idWord.replace(/_/g, ' '));
  if (companyNames.has(full) || companyNames.has(name)) return document.companyName();
  return undefined;
}
