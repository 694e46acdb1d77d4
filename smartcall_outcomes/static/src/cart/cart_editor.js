import {Component, useState} from "@odoo/owl";

/** Total of a cart line, discount included. */
export function lineTotal(line) {
    const qty = parseFloat(line.quantity) || 0;
    const price = parseFloat(line.price_unit) || 0;
    const discount = parseFloat(line.discount) || 0;
    return qty * price * (1 - discount / 100);
}

/**
 * The cart of a sale on line (seed 001, type C): products, quantities, prices and discounts.
 * It edits `cart`, the array of the console's draft for the held contact, so the lines added
 * on the Cart step of the workflow are the ones CONFERMA ESITO sends with the type C outcome.
 */
export class CartEditor extends Component {
    static template = "smartcall_outcomes.CartEditor";
    static props = {cart: Array, products: Array};

    setup() {
        this.state = useState({newLine: {product_id: "", quantity: 1}});
    }

    get products() {
        return this.props.products;
    }

    get cartTotal() {
        return this.props.cart.reduce((total, line) => total + lineTotal(line), 0);
    }

    lineTotal(line) {
        return lineTotal(line);
    }

    formatAmount(value) {
        return (value || 0).toFixed(2);
    }

    productName(id) {
        const product = this.products.find((p) => p.id === id);
        return product ? product.name : "";
    }

    addLine() {
        const productId = parseInt(this.state.newLine.product_id, 10);
        const product = this.products.find((p) => p.id === productId);
        if (!product) {
            return;
        }
        this.props.cart.push({
            product_id: product.id,
            quantity: parseFloat(this.state.newLine.quantity) || 1,
            price_unit: product.price,
            discount: 0,
        });
        this.state.newLine.product_id = "";
        this.state.newLine.quantity = 1;
    }

    removeLine(index) {
        this.props.cart.splice(index, 1);
    }
}
