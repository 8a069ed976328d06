package dev.magnetar.portmap;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * Parses what a gateway sends (device descriptions, SOAP replies) with the JDK's parser locked down: no
 * DTDs, no external entities — a router's web server is not trusted to read our files.
 */
final class UpnpXml {

    /** Device descriptions of real routers are a few KiB; SOAP replies far less. */
    static final int MAX_BYTES = 64 * 1024;

    private UpnpXml() {}

    static Document parse(byte[] xml, String what) throws PortMappingDecodeException {
        if (xml.length > MAX_BYTES) {
            throw new PortMappingDecodeException(what + " of " + xml.length + " bytes is larger than " + MAX_BYTES);
        }
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setXIncludeAware(false);
            f.setExpandEntityReferences(false);
            DocumentBuilder builder = f.newDocumentBuilder();
            builder.setErrorHandler(new org.xml.sax.helpers.DefaultHandler() {
                @Override
                public void fatalError(org.xml.sax.SAXParseException e) throws org.xml.sax.SAXParseException {
                    throw e; // the default handler would also print it to stderr
                }
            });
            return builder.parse(new ByteArrayInputStream(xml));
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("the JDK's XML parser lacks a standard feature", e);
        } catch (SAXException | IOException e) {
            throw new PortMappingDecodeException(what + " is not well-formed XML: " + e.getMessage(), e);
        }
    }

    /** The text of the first element anywhere below {@code from} with this local name (namespaces vary by router). */
    static String text(Node from, String localName) {
        NodeList all = from instanceof Document d ? d.getElementsByTagNameNS("*", localName)
                : ((Element) from).getElementsByTagNameNS("*", localName);
        return all.getLength() == 0 ? null : all.item(0).getTextContent().trim();
    }
}
